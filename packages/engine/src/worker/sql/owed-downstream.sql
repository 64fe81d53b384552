-- Finished chunks that still owe their downstream columns rows a lease after they were started: the
-- worker died before it started those runs, or starting them failed. $1 seconds (the lease), $2 limit.
select k.id as "chunkId", k.run_id as "runId"
from chunks k
where k.downstream_owed_since < now() - make_interval(secs => $1) and k.status <> 'running'
order by k.downstream_owed_since
limit $2
