-- Heartbeat: extends the leases of the chunks this worker holds and returns those still ours.
-- A chunk missing from the answer was cancelled or taken over, so its provider calls are aborted.
-- $1 chunk ids, $2 attempts, $3 lease seconds.
update chunks k
set lease_until = now() + make_interval(secs => $3)
from unnest($1::bigint[], $2::int[]) as u(id, attempt)
where k.id = u.id and k.attempt = u.attempt and k.status = 'running'
returning k.id
