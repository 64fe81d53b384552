-- Dead workers: rows whose heartbeat stopped more than $1 seconds ago are removed, and every job
-- locked for longer than that by a graphile-worker id no live worker claims — a dead worker's local
-- queue and running jobs, or those of a process that died before its first heartbeat — is unlocked
-- (graphile_worker.force_unlock_workers), so it runs again now instead of after graphile-worker's
-- 4-hour lock timeout. Returns the workers and job holders it gave up on.
with dead as (
  delete from glaze_workers where heartbeat_at < now() - make_interval(secs => $1) returning id
),
live as (
  select unnest(job_holders) as holder from glaze_workers where heartbeat_at >= now() - make_interval(secs => $1)
),
orphaned as (
  select array_agg(distinct j.locked_by) as holders, count(*)::int as jobs
  from graphile_worker.jobs j
  where j.locked_by is not null and j.locked_at < now() - make_interval(secs => $1)
    and j.locked_by not in (select holder from live)
),
unlocked as (
  select graphile_worker.force_unlock_workers(holders) from orphaned where holders is not null
)
select coalesce((select array_agg(id) from dead), '{}') as "deadWorkers",
       coalesce((select holders from orphaned), '{}') as holders,
       (select jobs from orphaned) as jobs,
       (select count(*) from unlocked)::int as unlocked
