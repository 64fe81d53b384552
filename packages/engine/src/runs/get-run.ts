import type { Run } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';

/** A run with the cells of each state right now: the API's `Run`. */
export type RunProgress = Run;

/** A run with counts per state, read from the run's counters plus a count of its live cells. */
export async function getRun(
  pool: Pool,
  runId: number,
  workspaceId?: number,
): Promise<RunProgress | undefined> {
  const { rows } = await pool.query(
    `select r.id, r.table_id as "tableId", r.column_id as "columnId", r.status, r.total,
            r.done_count, r.error_count, r.skipped_count, r.cancelled_count, r.cost, r.budget,
            r.cancel_reason as "cancelReason", r.created_at as "createdAt", r.finished_at as "finishedAt",
            extract(epoch from coalesce(r.finished_at, now()) - r.created_at)::float8 as "elapsedSeconds",
            live.queued, live.running
     from runs r
     join tables t on t.id = r.table_id
     -- queued cells are indexed by chunk; those of a claimed chunk are running
     cross join lateral (
       select count(*) filter (where k.status <> 'running')::int as queued,
              count(*) filter (where k.status = 'running')::int as running
       from chunks k join cells c on c.chunk_id = k.id and c.status = 'queued'
       where k.run_id = r.id
     ) live
     where r.id = $1 and ($2::bigint is null or t.workspace_id = $2)`,
    [runId, workspaceId ?? null],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    tableId: r.tableId,
    columnId: r.columnId,
    status: r.status,
    total: r.total,
    counts: {
      queued: r.queued,
      running: r.running,
      done: r.done_count,
      error: r.error_count,
      skipped: r.skipped_count,
      cancelled: r.cancelled_count,
    },
    cost: r.cost,
    budget: r.budget,
    cancelReason: r.cancelReason,
    // never null: runs.created_at is `not null`
    createdAt: isoTime(r.createdAt) as string,
    finishedAt: isoTime(r.finishedAt),
    elapsedSeconds: r.elapsedSeconds,
  };
}
