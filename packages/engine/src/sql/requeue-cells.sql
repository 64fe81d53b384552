-- Returns cells whose lease expired (their worker died) to queued and adds jobs for them.
-- Fenced on attempt and the expired lease, so a slow-but-alive worker's cells are left alone.
-- $1 table id, $2 cell ids, $3 attempts, $4 chunk size.
with lock as (
  select pg_advisory_xact_lock(1, $1::int) is not null as locked
),
requeued as (
  update cells c
  set status = 'queued', lease_until = null, queued_at = now(), seq = nextval('glaze_seq')
  from unnest($2::bigint[], $3::int[]) as u(id, attempt), lock
  where c.id = u.id and c.attempt = u.attempt and c.status = 'running' and c.lease_until < now()
  returning c.id, c.run_id, c.seq
),
jobs as (
  select glaze_enqueue_chunks(array_agg(run_id order by seq), array_agg(id order by seq), $4::int) as chunks
  from requeued
  having count(*) > 0
),
notified as (
  select pg_notify('glaze_table_' || $1, max(seq)::text) from requeued having count(*) > 0
)
select (select count(*) from requeued)::int as requeued, coalesce((select chunks from jobs), 0) as chunks,
       (select count(*) from notified)::int as notified
