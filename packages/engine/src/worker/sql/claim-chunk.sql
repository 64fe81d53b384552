-- Claims one chunk: a single row written (running, attempt + 1 as the fencing token, a lease, the
-- claiming worker), then reads its queued cells with their row's inputs. Its cells now read as
-- `running`. `lostBy` names the worker that died holding the chunk before, if one did.
-- $1 chunk id, $2 lease seconds, $3 worker id, $4 the ids (as text) of the input columns whose values
-- the cells read, null for all of them. The claim commits asynchronously (see flush-results.sql's lock).
with claimed as (
  update chunks k
  set status = 'running', attempt = k.attempt + 1, lease_until = now() + make_interval(secs => $2),
      claimed_at = now(), claimed_by = $3, failure = null, seq = nextval('glaze_seq')
  from runs r
  where k.id = $1 and k.status = 'queued' and r.id = k.run_id and r.status = 'running'
    and glaze_lock_table(k.table_id)
    and set_config('synchronous_commit', 'off', true) is not null
  returning k.id, k.run_id, k.table_id, k.attempt, k.seq, k.lost_by, r.column_id
),
notified as (
  select glaze_notify_table(table_id, seq::text) from claimed
)
select c.id, c.row_id as "rowId", claimed.attempt, claimed.lost_by as "lostBy",
       case when $4::text[] is null then r.data
            -- only the values read: a wide row's other values are neither sent nor parsed
            else coalesce((select jsonb_object_agg(k, r.data -> k) from unnest($4::text[]) k where r.data ? k), '{}')
       end as data,
       (select count(*) from notified) as notified
from claimed
join cells c on c.chunk_id = claimed.id and c.status = 'queued'
join rows r on r.id = c.row_id
order by r.position, r.id
