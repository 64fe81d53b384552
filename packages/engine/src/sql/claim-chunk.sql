-- Claims the queued cells of one chunk: running, attempt + 1 (the fencing token), a lease.
-- $1 run id, $2 cell ids, $3 lease seconds, $4 whether to read other columns' values.
with lock as (
  select r.id, r.column_id, pg_advisory_xact_lock(1, r.table_id::int) is not null as locked
  from runs r
  where r.id = $1 and r.status = 'running'
),
claimed as (
  update cells c
  set status = 'running', attempt = c.attempt + 1, lease_until = now() + make_interval(secs => $3),
      started_at = now(), seq = nextval('glaze_seq')
  from lock
  where c.id = any($2::bigint[]) and c.run_id = lock.id and c.status = 'queued'
  returning c.id, c.row_id, c.attempt, c.table_id, c.seq, lock.column_id
),
notified as (
  select pg_notify('glaze_table_' || table_id, max(seq)::text) from claimed group by table_id
)
select claimed.id, claimed.row_id as "rowId", claimed.attempt, r.data,
       case when $4::boolean then (
         select jsonb_object_agg(o.column_id::text, o.value)
         from cells o
         where o.row_id = claimed.row_id and o.status = 'done' and o.column_id <> claimed.column_id
       ) end as "cellValues",
       (select count(*) from notified) as notified
from claimed
join rows r on r.id = claimed.row_id
