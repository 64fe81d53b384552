-- Moves waiting cells out of a claimed chunk into a new chunk of the same run whose job runs after a
-- delay. They stay queued (the run is not done until they are), and read as `queued` again rather than
-- `running`. The old chunk is closed when nothing of it is left. Fenced on the chunk's attempt.
-- $1 chunk id, $2 attempt, $3 cell ids, $4 delay in seconds, $5 job payload extras (json).
with old as (
  select k.id, k.run_id, k.table_id
  from chunks k
  where k.id = $1 and k.attempt = $2 and k.status = 'running'
    and glaze_lock_table(k.table_id)
),
fresh as (
  insert into chunks (run_id, table_id, ordinal)
  select old.run_id, old.table_id, (select max(ordinal) + 1 from chunks where run_id = old.run_id)
  from old
  where exists (select 1 from cells where id = any($3::bigint[]) and chunk_id = $1 and status = 'queued')
  returning id, run_id, table_id
),
moved as (
  update cells c
  set chunk_id = fresh.id, seq = nextval('glaze_seq')
  from fresh
  where c.id = any($3::bigint[]) and c.chunk_id = $1 and c.status = 'queued'
  returning c.id, c.seq
),
closed as (
  update chunks k set status = 'done', lease_until = null, seq = nextval('glaze_seq')
  from old
  where k.id = old.id
    and (select count(*) from cells where chunk_id = $1 and status = 'queued') = (select count(*) from moved)
  returning k.id, k.seq
),
job as (
  select graphile_worker.add_jobs(array[
    glaze_chunk_job(fresh.id, fresh.run_id, now() + make_interval(secs => $4), $5::jsonb)]) as job
  from fresh
  where exists (select 1 from moved)
),
notified as (
  select glaze_notify_table(fresh.table_id, greatest((select max(seq) from moved), (select max(seq) from closed))::text)
  from fresh
  where exists (select 1 from moved)
)
select (select count(*) from moved)::int as moved, (select count(*) from closed)::int as closed,
       (select count(*) from job)::int as jobs, (select count(*) from notified)::int as notified
