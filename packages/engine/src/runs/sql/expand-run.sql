-- Queues a running run's next batch of cells (the `glaze_expand` job; start-run.sql queued the first):
-- the next rows after the run's cursor, in chunks with one graphile-worker job each, and moves the cursor
-- in the same statement, so a worker killed mid-expansion leaves a job that resumes where the last
-- committed batch ended. It runs after lock-run.sql in one transaction: a cancelled run expands no
-- further, and a cancel waits for a batch in progress (cancel-run.ts). A full batch queues the next job; the last
-- batch makes the run's total exact and completes the run if its cells already ended.
-- $1 run id, $2 chunk size, $3 rows in the batch (cells: those of its rows the run's scope targets).
with run as (
  select r.id, r.table_id, r.column_id, r.expand_position, r.expand_row_id, r.expand_ordinal,
         -- `rows` runs are queued whole by their start and never expand
         r.scope #>> '{}' as kind
  from runs r
  where r.id = $1 and r.status = 'running' and r.expanding
),
-- the next $3 rows in row order, walked on rows_table_position; each row's cell looked up by its key
scanned as (
  select r.id, r.position
  from rows r
  -- the run's table and cursor as values (not a join), so the walk is an index range scan
  where r.table_id = (select table_id from run)
    and (r.position, r.id) > ((select expand_position from run), (select expand_row_id from run))
  order by r.position, r.id
  limit $3::int
),
-- whether any row of the batch has a cell of the column: one index range probe over the batch's row ids
-- (exact: a row outside the range is not in the batch). On a first run none has, and the batch skips
-- its 10,000 key look-ups (EXPLAIN ANALYZE of a 10,000-row batch: 80 -> 73 ms). Materialized: inlined
-- into the lateral, its cost counted once per row put the plan over jit_above_cost (1 s of JIT).
probe as materialized (
  select exists (
    select 1 from cells c
    where c.column_id = (select column_id from run)
      and c.row_id between (select min(id) from scanned) and (select max(id) from scanned)
  ) as any_cells
),
targets as (
  select s.id as row_id, cell.id as cell_id,
         run.expand_ordinal + (row_number() over (order by s.position, s.id) - 1) / $2::int as ordinal
  from scanned s
  cross join run
  cross join probe
  -- each row's cell by its key: a lateral with `limit` stays a nested loop over the batch, never a
  -- hash of the column's cells (a re-run's column has as many as the table has rows)
  left join lateral (
    select c.id, c.status, c.value from cells c
    where probe.any_cells and c.column_id = run.column_id and c.row_id = s.id limit 1
  ) cell on true
  where glaze_run_target(run.kind, cell.id, cell.status, cell.value)
),
-- the cursor's next position is the batch's last row: a top-1 of `scanned`, not two aggregates that each
-- sorted the batch's 10,000 rows (with the chunks' ordinals below as a series, not a sort of every
-- target: a batch's backend CPU 90 -> 70 ms, medians of 10 alternated)
batch as (
  select (select count(*) from targets)::int as n, (select max(ordinal) from targets) as last_ordinal,
         (select count(*) from scanned)::int as scanned, l.position as last_position, l.id as last_row_id
  from (values (1)) as one
  left join (select position, id from scanned order by position desc, id desc limit 1) l on true
),
-- the table's write lock once the batch is read, for the writes only: a feed read waits for it
lock as (
  select glaze_lock_table(run.table_id) as locked from run, batch
),
new_chunks as (
  insert into chunks (run_id, table_id, ordinal)
  select run.id, run.table_id, o.ordinal
  -- targets' ordinals run without a gap from the cursor's to the batch's last (none: no chunk)
  from run, lock, batch, generate_series(run.expand_ordinal, batch.last_ordinal) o(ordinal)
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
  cross join run
  where t.cell_id is not null and c.column_id = run.column_id and c.row_id = t.row_id
  returning c.seq
),
inserted as (
  insert into cells (table_id, row_id, column_id, status, run_id, chunk_id, queued_at, seq)
  select run.table_id, t.row_id, run.column_id, 'queued', run.id, k.id, now(), nextval('glaze_seq')
  from targets t
  join new_chunks k on k.ordinal = t.ordinal
  cross join run
  where t.cell_id is null
  returning seq
),
jobs as (
  select graphile_worker.add_jobs(array_agg(glaze_chunk_job(id, run_id) order by ordinal)) as job
  from new_chunks
  having count(*) > 0
),
-- the cells counted but not yet queued (expand_unseen) shrink by this batch; the last batch drops
-- what remains of the count, so `total` is then exactly the cells queued (less rows deleted since)
advanced as (
  update runs r
  set total = case when b.scanned < $3 then r.total + b.n - r.expand_unseen
                   else r.total + b.n - least(r.expand_unseen, b.n) end,
      expand_unseen = case when b.scanned < $3 then 0 else r.expand_unseen - least(r.expand_unseen, b.n) end,
      expanding = b.scanned = $3,
      expand_position = coalesce(b.last_position, r.expand_position),
      expand_row_id = coalesce(b.last_row_id, r.expand_row_id),
      expand_ordinal = coalesce(b.last_ordinal + 1, r.expand_ordinal),
      status = case
        when b.scanned < $3 and r.done_count + r.error_count + r.skipped_count + r.cancelled_count
                          >= r.total + b.n - r.expand_unseen then 'done'
        else r.status end,
      finished_at = case
        when b.scanned < $3 and r.done_count + r.error_count + r.skipped_count + r.cancelled_count
                          >= r.total + b.n - r.expand_unseen then now()
        else r.finished_at end,
      seq = nextval('glaze_seq')
  -- written last (after the cells: the counts below), so the run row, which every flush of the run
  -- updates, is held only from here to the commit
  from run, lock, batch b, (select count(*) from requeued) q, (select count(*) from inserted) i, (select count(*) from jobs) j
  where r.id = run.id
  returning r.id, r.table_id, r.status, r.expanding, r.total, r.seq
),
next_job as (
  select glaze_expand_job(advanced.id, jsonb_build_object('chunkSize', $2::int, 'rows', $3::int))
  from advanced
  where advanced.expanding
),
notified as (
  select glaze_notify_table(advanced.table_id, greatest(
    advanced.seq, (select max(seq) from requeued), (select max(seq) from inserted), (select max(seq) from new_chunks)
  )::text)
  from advanced
)
select advanced.id, advanced.status, advanced.expanding, advanced.total,
       (select n from batch) as queued, (select count(*) from jobs)::int as chunks,
       (select array_agg(id order by ordinal) from new_chunks) as "chunkIds",
       (select count(*) from next_job)::int as "nextJobs", (select count(*) from notified)::int as notified
from advanced
