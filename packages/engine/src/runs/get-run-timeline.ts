import type { CellSpan, RunTimeline } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';

/**
 * How a run's cells overlapped in time: each called cell's start and finish (sampled for big runs),
 * latency percentiles, the peak of cells in flight, calls per second, retries, 429s and cost. One
 * statement over the run's column (the cells key); a cell a later run of the column took over counts
 * for that run, not this one.
 * @example const timeline = await getRunTimeline(pool, 7, { samples: 500 }); // timeline.peakConcurrency
 */
export async function getRunTimeline(
  pool: Pool,
  runId: number,
  options: { workspaceId?: number; samples?: number } = {},
): Promise<RunTimeline | undefined> {
  const { rows } = await pool.query(
    `with run as (
       select r.id, r.column_id, r.created_at, r.finished_at
       from runs r join tables t on t.id = r.table_id
       where r.id = $1 and ($2::bigint is null or t.workspace_id = $2)
     ), timed as (
       select c.row_id, c.status, c.tries, c.cost, c.started_at, c.finished_at,
              case when jsonb_typeof(c.meta -> 'throttled') = 'number'
                   then (c.meta ->> 'throttled')::float8 else 0 end as throttled,
              extract(epoch from c.finished_at - c.started_at) * 1000 as ms
       from run join cells c on c.column_id = run.column_id and c.run_id = run.id
       where c.status in ('done', 'error') and c.started_at is not null and c.finished_at is not null
     ), events as (
       select sum(delta) over (order by at, delta rows unbounded preceding) as in_flight
       from (select started_at as at, 1 as delta from timed
             union all select finished_at, -1 from timed) e
     ), sampled as (
       select row_id, status, tries, started_at, finished_at
       from (select timed.*, row_number() over (order by started_at, row_id) as n,
                    count(*) over () as total
             from timed) numbered
       where (n - 1) % greatest(1, ceil(total::float8 / $3))::bigint = 0
     )
     select run.id as "runId", run.created_at as "startedAt", run.finished_at as "finishedAt",
            stats.*,
            (select coalesce(max(in_flight), 0)::int from events) as "peakConcurrency",
            (select coalesce(jsonb_agg(jsonb_build_object(
                       'rowId', row_id, 'status', status, 'tries', tries,
                       'startMs', round(extract(epoch from started_at - run.created_at) * 1000),
                       'endMs', round(extract(epoch from finished_at - run.created_at) * 1000))
                     order by started_at, row_id), '[]'::jsonb)
             from sampled) as spans
     from run
     cross join lateral (
       select count(*)::int as cells,
              percentile_cont(0.5) within group (order by ms) as p50,
              percentile_cont(0.95) within group (order by ms) as p95,
              max(ms) as "maxMs",
              coalesce(sum(tries), 0)::float8 as calls,
              coalesce(sum(greatest(tries - 1, 0)), 0)::int as retries,
              coalesce(sum(throttled), 0)::int as throttled,
              (count(*) filter (where status = 'error'))::int as errors,
              coalesce(sum(cost), 0)::float8 as cost,
              extract(epoch from max(finished_at) - min(started_at)) as seconds
       from timed
     ) stats`,
    [runId, options.workspaceId ?? null, Math.max(1, Math.min(options.samples ?? 500, 5000))],
  );
  const r = rows[0];
  if (!r) return undefined;
  const round = (ms: unknown) => (ms === null ? null : Math.round(Number(ms) * 10) / 10);
  const seconds = Number(r.seconds);
  return {
    runId: Number(r.runId),
    startedAt: isoTime(r.startedAt) as string,
    finishedAt: isoTime(r.finishedAt),
    cells: r.cells,
    latencyMs: { p50: round(r.p50), p95: round(r.p95), max: round(r.maxMs) },
    peakConcurrency: r.peakConcurrency,
    callsPerSecond: r.cells > 0 && seconds > 0 ? Math.round((r.calls / seconds) * 10) / 10 : null,
    retries: r.retries,
    throttled: r.throttled,
    errors: r.errors,
    cost: r.cost,
    spans: (r.spans as CellSpan[]).map((span) => ({ ...span, rowId: Number(span.rowId) })),
  };
}
