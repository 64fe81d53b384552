-- Chunks of running runs that would otherwise wait for ever: queued with no job that can still run
-- them (the job failed for good, or was lost with a database crash), queued with a job locked for
-- over $1 seconds in the name of a live worker that does not hold it (glaze_job_lost_by, migration
-- 038: its completion died with a database crash, and nothing would unlock it for 4 hours), or
-- closed while some of their cells are still queued. Each goes back to queued with a new job (a
-- locked job with the same key loses its key and its attempts, so it never runs again). The same
-- chunk is never handled twice at once.
with stuck as (
  select k.id, k.run_id, k.table_id, k.status as was
  from chunks k
  join runs r on r.id = k.run_id and r.status = 'running'
  where (k.status = 'queued' and not exists (
           select 1 from graphile_worker.jobs j
           where j.key = glaze_chunk_job_key(k.id) and j.attempts < j.max_attempts))
     or (k.status = 'queued' and exists (
           select 1 from graphile_worker.jobs j
           cross join glaze_job_lost_by(j.id, j.locked_by, j.locked_at, $1)
           where j.key = glaze_chunk_job_key(k.id)))
     or (k.status = 'done' and exists (select 1 from cells c where c.chunk_id = k.id and c.status = 'queued'))
  for update of k skip locked
),
locked as (
  select s.*, glaze_lock_table(s.table_id) as ok from stuck s
),
reopened as (
  update chunks k set status = 'queued', lease_until = null, claimed_by = null, seq = nextval('glaze_seq')
  from locked l
  where k.id = l.id
  returning k.id, k.run_id, k.table_id, k.seq, l.was
),
jobs as (
  select graphile_worker.add_jobs(array_agg(glaze_chunk_job(id, run_id) order by id)) as job
  from reopened
  having count(*) > 0
),
notified as (
  select glaze_notify_table(table_id, max(seq)::text) from reopened group by table_id
)
select (select count(*) from reopened where was = 'queued')::int as "jobless",
       (select count(*) from reopened where was = 'done')::int as "closedEarly",
       (select count(*) from jobs)::int as jobs,
       (select count(*) from notified)::int as notified
