-- Heartbeat: extends the leases of cells this worker still holds and returns them. A cell missing
-- from the answer was cancelled or taken over, so its provider call is aborted.
-- $1 cell ids, $2 attempts, $3 lease seconds.
update cells c
set lease_until = now() + make_interval(secs => $3)
from unnest($1::bigint[], $2::int[]) as u(id, attempt)
where c.id = u.id and c.attempt = u.attempt and c.status = 'running'
returning c.id
