-- Heartbeat, every third of a lease: this worker is alive (its row, with the graphile-worker ids
-- that lock jobs for it), and the leases of the chunks it holds are extended. Returns the chunks
-- still ours; a chunk missing from the answer was cancelled or taken over, so its calls are aborted.
-- $1 chunk ids, $2 attempts, $3 lease seconds, $4 worker id, $5 host, $6 pid, $7 job holder ids,
-- $8 the jobs it has fetched and not finished.
with beat as (
  insert into glaze_workers as w (id, host, pid, job_holders, held_jobs)
  values ($4, $5, $6, $7::text[], $8::bigint[])
  on conflict (id) do update
  set heartbeat_at = now(), job_holders = excluded.job_holders, held_jobs = excluded.held_jobs
  returning w.id
)
update chunks k
set lease_until = now() + make_interval(secs => $3)
from unnest($1::bigint[], $2::int[]) as u(id, attempt)
where k.id = u.id and k.attempt = u.attempt and k.status = 'running' and k.claimed_by = $4
  and (select count(*) from beat) = 1
returning k.id
