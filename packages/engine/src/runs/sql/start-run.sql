-- Starts a run of one enrichment column over a scope: the run row, its first batch of cells set to
-- queued in chunks with one graphile-worker job each and, when more cells follow, one `glaze_expand`
-- job that queues the rest in batches (expand-run.sql). Nothing here grows with the run's size, so
-- the first chunk runs within milliseconds. A run over nothing is born done.
-- $1 column id, $2 scope kind (all|empty|errors|stale|rows), $3 row ids, $4 scope json,
-- $5 max attempts, $6 budget, $7 chunk size, $8 workspace id (null: any), $9 table id (null: any),
-- $10 true for an auto-run: no run is created over nothing (no row comes back),
-- $11 rows in the first batch, $12 rows in each later batch,
-- $13 the request's Idempotency-Key and $14 its request's hash (both null without a key; 044).
-- It commits asynchronously (`set_config` beside the table's lock): its NOTIFYs reach the workers
-- without waiting for a WAL flush (1-4 ms on a shared disk under load), and start-run.ts answers only
-- after a durability barrier, so a started run the caller is told of survives a crash.
with col as (
  select c.id, c.table_id, glaze_lock_table(c.table_id) as locked
  from columns c
  join tables t on t.id = c.table_id
  where c.id = $1 and c.kind = 'enrichment' and ($8::bigint is null or t.workspace_id = $8)
    and ($9::bigint is null or c.table_id = $9)
    and set_config('synchronous_commit', 'off', true) is not null
),
-- the first batch: $11 rows in row order, or a `rows` run's rows all at once (at most 100,000, named).
-- Two branches, each behind a filter on $2 alone: Postgres evaluates such a filter once, before its
-- branch runs, so even a generic plan (worker connections, pool.ts) runs one branch. One scan with
-- `$2 <> 'rows' or r.id = any($3)` cannot be folded in a generic plan: it walked every row of the
-- table for each auto-run downstream start of 500 rows (deps/auto-run.ts), 0.58 s a start at 20,000 rows.
scanned as (
  (select r.id, r.position
   from rows r
   -- the table id as a value (not a join), so the rows are walked in order on rows_table_position
   where r.table_id = (select table_id from col) and $2::text <> 'rows'
   order by r.position, r.id
   limit $11::int)
  union all
  select r.id, r.position
  from rows r
  where r.id = any($3::bigint[]) and r.table_id = (select table_id from col) and $2::text = 'rows'
),
targets as (
  select s.id as row_id, cell.id as cell_id,
         (row_number() over (order by s.position, s.id) - 1) / $7::int as ordinal
  from scanned s
  cross join col
  -- each row's cell by its key: a lateral with `limit` stays a nested loop over the batch, never a
  -- hash of the column's cells (a re-run's column has as many as the table has rows)
  left join lateral (
    select c.id, c.status, c.value from cells c where c.column_id = col.id and c.row_id = s.id limit 1
  ) cell on true
  where glaze_run_target($2::text, cell.id, cell.status, cell.value)
),
-- the cursor is the batch's last row: a top-1 of `scanned`, not two aggregates that each sorted the
-- batch (a `rows` run's up to 100,000 rows), as expand-run.sql does
batch as (
  select (select count(*) from targets)::int as n, (select max(ordinal) from targets) as last_ordinal,
         -- a full first batch: more rows may follow
         $2::text <> 'rows' and (select count(*) from scanned) = $11::int as more,
         l.position as last_position, l.id as last_row_id
  from (values (1)) as one
  left join (select position, id from scanned order by position desc, id desc limit 1) l on true
),
run as (
  insert into runs (table_id, column_id, scope, total, max_attempts, budget, known_price, status, finished_at,
                    expanding, expand_position, expand_row_id, expand_ordinal, idempotency_key, request_hash)
  select col.table_id, col.id, $4::jsonb, batch.n, $5, $6,
         -- the column's earlier price per call, read before `requeued` clears the cells' cost
         -- (every part of one statement sees the same snapshot); only a run with a budget needs it
         case when $6::double precision is not null then (
           select sum(p.cost) / nullif(sum(p.tries), 0)
           from cells p where p.column_id = col.id and p.cost is not null and p.tries > 0
         ) end,
         case when batch.n = 0 and not batch.more then 'done' else 'running' end,
         case when batch.n = 0 and not batch.more then now() end,
         batch.more, batch.last_position, batch.last_row_id,
         coalesce(batch.last_ordinal + 1, 0), $13::text, $14::text
  from col, batch
  -- a run over nothing is born done; one whose first batch targets nothing may target later rows
  where batch.n > 0 or batch.more or not $10::boolean
  returning id, table_id, column_id, total, status, expanding, seq
),
new_chunks as (
  insert into chunks (run_id, table_id, ordinal)
  select run.id, run.table_id, o.ordinal
  -- targets' ordinals run without a gap from 0 to the batch's last (none: no chunk), so a series, not
  -- a sort and unique of every target
  from run, batch, generate_series(0, batch.last_ordinal) o(ordinal)
  order by o.ordinal
  returning id, run_id, ordinal, seq
),
-- existing cells are updated, missing ones inserted: two plain writes, cheaper than an upsert
requeued as (
  update cells c
  set status = 'queued', run_id = k.run_id, chunk_id = k.id, attempt = 0, tries = 0, error = null,
      cost = null, queued_at = now(), started_at = null, finished_at = null, seq = nextval('glaze_seq')
  from targets t
  join new_chunks k on k.ordinal = t.ordinal
  cross join col
  where t.cell_id is not null and c.column_id = col.id and c.row_id = t.row_id
  returning c.seq
),
inserted as (
  insert into cells (table_id, row_id, column_id, status, run_id, chunk_id, queued_at, seq)
  select run.table_id, t.row_id, run.column_id, 'queued', run.id, k.id, now(), nextval('glaze_seq')
  from targets t
  join new_chunks k on k.ordinal = t.ordinal
  cross join run
  -- no `order by`: targets comes out in row order already
  where t.cell_id is null
  returning seq
),
jobs as (
  select graphile_worker.add_jobs(array_agg(glaze_chunk_job(id, run_id) order by ordinal)) as job,
         -- a first batch of at most 4 chunks (any run in chunks of 500): their ids for workers that
         -- LISTEN (worker/claim-on-start.ts), which claim them when this commits instead of after their
         -- job fetch, a round trip later. Not more: many small chunks claimed by whichever worker
         -- hears first would leave the others' jobs finding them taken (rate-limits.test.ts's two
         -- workers: one did every chunk).
         -- A run that expands says how (the `glaze_expand` job's payload): the worker that hears it
         -- queues the next batch at once rather than after fetching that job, a round trip later.
         case when count(*) <= 4 then pg_notify('glaze_run_started', json_build_object(
           'runId', min(run_id), 'chunkIds', array_agg(id order by ordinal),
           'expand', case when (select expanding from run) then json_build_object('chunkSize', $7::int, 'rows', $12::int) end
         )::text) end
  from new_chunks
  having count(*) > 0
),
expand_job as (
  select glaze_expand_job(run.id, jsonb_build_object('chunkSize', $7::int, 'rows', $12::int))
  from run
  where run.expanding
),
notified as (
  select glaze_notify_table(run.table_id, greatest(
    run.seq, (select max(seq) from requeued), (select max(seq) from inserted), (select max(seq) from new_chunks)
  )::text)
  from run
)
select run.id, run.table_id as "tableId", run.column_id as "columnId", run.total, run.status,
       run.expanding, (select count(*) from jobs)::int as chunks,
       (select count(*) from expand_job)::int as "expandJobs",
       (select count(*) from notified)::int as notified
from run
