-- Runs whose expansion would otherwise wait for ever: running and expanding, and their
-- `glaze_expand` job failed for good, or is locked for over $1 seconds in the name of a live worker
-- that does not hold it (glaze_job_lost_by, migration 038). The second is what a database crash
-- leaves (or a connection cut as the job was fetched): the fetch's lock was written, its answer
-- never reached the worker, and nothing would unlock the job for 4 hours; the run sat at its last
-- batch (62,000 of 300,000 cells, seen killing the embedded Postgres under `glaze start`). Each gets
-- a new job with the same payload (expand-run.sql starts from the run's cursor, so a batch is never
-- queued twice); the old one loses its key (graphile-worker takes the key off a locked job it
-- replaces) and never runs again.
with stuck as (
  select r.id, j.payload::jsonb - 'runId' as payload
  from runs r
  -- the private table: the public view leaves out the payload
  join graphile_worker._private_jobs j on j.key = 'glaze_expand:' || r.id
  where r.status = 'running' and r.expanding
    and (j.attempts >= j.max_attempts
         or exists (select 1 from glaze_job_lost_by(j.id, j.locked_by, j.locked_at, $1)))
  for update of r skip locked
)
select count(glaze_expand_job(id, payload))::int as "expansionsResumed" from stuck
