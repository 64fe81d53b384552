-- Cells whose worker stopped renewing their lease. Uses the partial index cells_lease.
-- $1 limit.
select c.id, c.table_id as "tableId", c.run_id as "runId", c.attempt, r.max_attempts as "maxAttempts"
from cells c
join runs r on r.id = c.run_id
where c.status = 'running' and c.lease_until < now()
order by c.lease_until
limit $1
