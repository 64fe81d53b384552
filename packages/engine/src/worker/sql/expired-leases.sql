-- Chunks whose worker stopped renewing their lease (uses the partial index chunks_lease), with the
-- rows of the cells they still owe, and why the last attempt failed if its worker said (migration
-- 040). $1 limit.
select k.id, k.table_id as "tableId", k.run_id as "runId", r.column_id as "columnId", k.attempt,
       k.losses, k.claimed_by as "claimedBy", r.max_attempts as "maxAttempts", k.failure,
       coalesce((select array_agg(c.row_id) from cells c where c.chunk_id = k.id and c.status = 'queued'), '{}')
         as "rowIds"
from chunks k
join runs r on r.id = k.run_id
where k.status = 'running' and k.lease_until < now()
order by k.lease_until
limit $1
