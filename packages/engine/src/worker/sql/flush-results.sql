-- Writes a batch of results for one table in one statement: cells (fenced on their chunk's attempt),
-- run counters and completion, finished chunks, and one NOTIFY with the newest seq.
-- $1 table id; the results as parallel arrays, one element per cell: $2 column ids, $3 row ids,
-- $4 chunk ids, $5 chunk attempts, $6 statuses, $7 tries, $8 costs, $9 start times (epoch ms),
-- $10 values, $11 errors, $12 meta (three JSON arrays); $13/$14 chunks finished by this batch and
-- their attempts; $15–$18 the export header's paths this batch adds (csv/record-value-paths.ts: column
-- ids, paths, first rows, key positions as bigint[] literals; empty when the worker has recorded them).
-- `lock` also makes this statement's transaction commit asynchronously (pool.ts, synchronousCommit):
-- set here, not as a startup option, so it holds behind a transaction pooler too. It stays in the
-- CTE `written` joins: a CTE nothing references is never run.
with lock as (
  select glaze_lock_table($1) as locked,
         set_config('synchronous_commit', 'off', true) as commit_mode
),
input as (
  select u.column_id, u.row_id, u.chunk_id, u.attempt, u.status, u.tries, u.cost, u.started_ms,
         nullif(u.value, 'null'::jsonb) as value, u.error, nullif(u.meta, 'null'::jsonb) as meta
  from rows from (
    unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::text[], $7::int[], $8::float8[], $9::float8[]),
    jsonb_array_elements($10::jsonb),
    jsonb_array_elements_text($11::jsonb),
    jsonb_array_elements($12::jsonb)
  ) as u(column_id, row_id, chunk_id, attempt, status, tries, cost, started_ms, value, error, meta)
),
written as (
  update cells c
  set status = i.status, value = i.value, error = i.error, attempt = i.attempt, tries = i.tries,
      cost = i.cost, meta = i.meta, started_at = to_timestamp(i.started_ms / 1000), finished_at = now(), seq = nextval('glaze_seq')
  from input i
  -- the chunk's attempt is the fence: after a lost lease is re-claimed, the old worker's results miss it
  join chunks k on k.id = i.chunk_id and k.attempt = i.attempt
  cross join lock
  -- `is not distinct from` keeps the planner on the primary key (the partial chunk index would scan
  -- the whole chunk once per result). The status as a sub-select, not the literal: the literal matches
  -- the partial index `cells_queued`, whose size the planner takes from statistics gathered before the
  -- run queued anything (one row), so the plan hashed every queued cell of the table on each flush
  -- (auto_explain: 103 of a 100,000-cell run's 142 flushes on main; a 500-cell flush with 100,000 cells
  -- queued 88 ms of backend CPU against 17 ms). Compared with a value the planner cannot see, each
  -- cell is looked up by its key whatever the statistics say.
  where c.column_id = i.column_id and c.row_id = i.row_id and c.chunk_id is not distinct from i.chunk_id
    and c.status = (select 'queued'::text)
  returning c.run_id, c.chunk_id, c.status, c.cost, c.tries, c.seq
),
totals as (
  select run_id, count(*)::int as n,
         count(*) filter (where status = 'done')::int as done,
         count(*) filter (where status = 'error')::int as error,
         count(*) filter (where status = 'skipped')::int as skipped,
         -- cells whose provider was called: with their cost, the average a budget's estimate uses
         count(*) filter (where tries > 0)::int as paid,
         coalesce(sum(cost), 0) as cost
  from written
  group by run_id
),
counted as (
  update runs r
  set done_count = r.done_count + t.done,
      error_count = r.error_count + t.error,
      skipped_count = r.skipped_count + t.skipped,
      cost = r.cost + t.cost,
      paid_calls = r.paid_calls + t.paid,
      -- the counters are read from the row being updated (re-read under concurrent flushes), so
      -- exactly one flush sees the run complete; a run still expanding completes with its last
      -- batch (expand-run.sql) or a later flush
      status = case
        when r.status = 'running' and not r.expanding
         and r.done_count + r.error_count + r.skipped_count + r.cancelled_count + t.n >= r.total then 'done'
        else r.status end,
      finished_at = case
        when r.status = 'running' and not r.expanding
         and r.done_count + r.error_count + r.skipped_count + r.cancelled_count + t.n >= r.total then now()
        else r.finished_at end,
      seq = nextval('glaze_seq')
  from totals t
  where r.id = t.run_id
  returning r.id, r.status, r.seq, r.cost, r.budget
),
finished_chunks as (
  update chunks k
  set status = 'done', lease_until = null
  from unnest($13::bigint[], $14::int[]) as d(id, attempt)
  where k.id = d.id and k.attempt = d.attempt and k.status = 'running'
    -- closed only when this statement writes its last queued cells (the snapshot still shows this
    -- statement's cells as queued, hence the comparison): a batch of the chunk still in flight, or one
    -- that could not be written, leaves it open — the worker closes it once all its cells are written
    -- (close-chunk.sql), else the reconciler hands it back
    and (select count(*) from cells c where c.chunk_id = k.id and c.status = 'queued')
      = (select count(*) from written w where w.chunk_id = k.id)
  returning k.id
),
-- new paths added, known ones moved to an earlier first row or key position. In (column, path) order,
-- so two flushes adding the same paths take their locks in one order; run after the statement's other
-- parts (a data-modifying CTE nothing reads), so after the run row, as every flush takes them.
paths as (
  insert into column_value_paths as p (column_id, path, first_row, ord)
  select c, path, r, o::bigint[]
  from unnest($15::bigint[], $16::text[], $17::bigint[], $18::text[]) as u(c, path, r, o)
  on conflict (column_id, path) do update
    set first_row = least(p.first_row, excluded.first_row), ord = least(p.ord, excluded.ord)
    where excluded.first_row < p.first_row or excluded.ord < p.ord
),
notified as (
  select glaze_notify_table($1, greatest((select max(seq) from written), (select max(seq) from counted))::text)
  where exists (select 1 from written)
)
select (select count(*) from written)::int as written,
       (select count(*) from notified)::int as notified,
       (select coalesce(array_agg(id), '{}') from finished_chunks) as "finishedChunks",
       (select coalesce(json_agg(json_build_object('id', id, 'status', status, 'cost', cost, 'budget', budget)), '[]')
        from counted) as runs
