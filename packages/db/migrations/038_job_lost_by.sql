-- When a live worker has lost a graphile-worker job, written once. The reconciler replaced such a job
-- by the same rule in two statements, reopen-chunks.sql (a chunk's job) and resume-expansions.sql (a
-- run's `glaze_expand` job): locked for over `after_seconds` in the name of a live worker (one of the
-- graphile-worker ids its heartbeat lists in `job_holders`) that does not list the job among those it
-- has fetched and not finished (`held_jobs`, migration 014). A database crash leaves it so: the
-- fetch's lock, or the job's lock after its completion was lost, outlives the crash, and nothing
-- would unlock the job for graphile-worker's 4 hours. `glaze_workers` holds live workers only: the
-- reconciler's first statement (unlock-dead-workers.sql) deletes the rows of workers silent for
-- `after_seconds` and unlocks their jobs. Waiting `after_seconds` leaves alone a job fetched a
-- moment ago, whose worker has not yet beaten with it in hand.
--
-- The live workers that lost the job (none, or its one holder): the callers ask `exists (select 1
-- from glaze_job_lost_by(…))`. A set, not a boolean, so that Postgres inlines it: a SQL function returning
-- a scalar is inlined only as one expression, and this one reads a table; a set-returning function
-- called in FROM is inlined when it is one SELECT and neither strict, volatile, security definer nor
-- given a SET. Inlined, both statements plan exactly as they did with the rule written out: the
-- same nodes, in EXPLAIN ANALYZE of 240 queued chunks and 261 jobs, with and without seq scans. As
-- a boolean with an EXISTS inside, it was called for each of the 261 jobs in reopen-chunks' plan.
-- reconcile.test.ts checks that it stays inlined.
create function glaze_job_lost_by(
  p_job bigint, p_locked_by text, p_locked_at timestamptz, p_after_seconds float8
) returns setof text
language sql stable parallel safe as $$
  select w.id from glaze_workers w
  where p_locked_by = any(w.job_holders)
    and p_locked_at < now() - make_interval(secs => p_after_seconds)
    and not (p_job = any(w.held_jobs))
$$;
