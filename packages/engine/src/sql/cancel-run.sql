-- Cancels a run: queued and running cells become cancelled at once. Results still in flight are
-- discarded by the fence in flush-results (status must still be running).
-- $1 run id, $2 reason, $3 workspace id (null: any).
with target as (
  select r.id, r.table_id, pg_advisory_xact_lock(1, r.table_id::int) is not null as locked
  from runs r
  join tables t on t.id = r.table_id
  where r.id = $1 and r.status = 'running' and ($3::bigint is null or t.workspace_id = $3)
),
cancelled as (
  update cells c
  set status = 'cancelled', error = $2, lease_until = null, finished_at = now(), seq = nextval('glaze_seq')
  from target
  where c.run_id = target.id and c.status in ('queued', 'running')
  returning c.id, c.seq
),
run as (
  update runs r
  set status = 'cancelled', cancel_reason = $2, finished_at = now(), seq = nextval('glaze_seq'),
      cancelled_count = r.cancelled_count + (select count(*) from cancelled)
  from target
  where r.id = target.id
  returning r.id, r.table_id, r.seq
)
select run.id, (select count(*) from cancelled)::int as cancelled,
       pg_notify('glaze_table_' || run.table_id, run.seq::text) is not null as notified
from run
