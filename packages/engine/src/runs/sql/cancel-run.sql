-- Cancels a run: its queued cells (including those of chunks a worker holds) become cancelled at
-- once; results still in flight are discarded by the fence in flush-results (status must be queued).
-- A run still expanding stops, and its total becomes the cells it queued: the rows it had not reached
-- were never its cells (before, a 300,000-cell run cancelled after 152,000 were queued said
-- `pending: 148,000` for ever).
-- $1 run id, $2 reason, $3 workspace id (null: any).
with target as (
  select r.id, r.table_id, glaze_lock_table(r.table_id) as locked
  from runs r
  join tables t on t.id = r.table_id
  where r.id = $1 and r.status = 'running' and ($3::bigint is null or t.workspace_id = $3)
),
cancelled as (
  update cells c
  set status = 'cancelled', error = $2, finished_at = now(), seq = nextval('glaze_seq')
  from target
  join chunks k on k.run_id = target.id
  where c.chunk_id = k.id and c.status = 'queued'
  returning c.id
),
closed_chunks as (
  update chunks k set status = 'done', lease_until = null
  from target
  where k.run_id = target.id and k.status <> 'done'
  returning k.id
),
run as (
  update runs r
  set status = 'cancelled', cancel_reason = $2, finished_at = now(), seq = nextval('glaze_seq'),
      cancelled_count = r.cancelled_count + (select count(*) from cancelled),
      total = r.total - r.expand_unseen, expand_unseen = 0, expanding = false
  from target
  where r.id = target.id
  returning r.id, r.table_id, r.seq
)
select run.id, (select count(*) from cancelled)::int as cancelled,
       (select count(*) from closed_chunks)::int as chunks,
       glaze_notify_table(run.table_id, run.seq::text) as notified
from run
