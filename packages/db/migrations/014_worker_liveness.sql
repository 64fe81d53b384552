-- Liveness: every worker process writes a heartbeat row, so a dead one is told from a slow one
-- without waiting for graphile-worker's 4-hour lock timeout. `job_holders` are the graphile-worker
-- ids (its worker pool and workers) that lock jobs on this process's behalf: when the heartbeat stops,
-- their locked jobs are unlocked (graphile_worker.force_unlock_workers) and go back to the queue.
create table glaze_workers (
  id text primary key,
  host text not null,
  pid integer not null,
  job_holders text[] not null default '{}',
  -- the jobs it has fetched and not yet finished: a job locked in its name but missing here was lost
  -- (its completion died with a database crash) and is replaced by the reconciler
  held_jobs bigint[] not null default '{}',
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);

-- Who holds a chunk, and how often a worker died holding it. `losses` (not `attempt`, the fencing
-- token every claim bumps) is what ends a chunk's cells in error once it reaches the run's
-- max_attempts: a chunk handed back by a live worker (database outage, graceful stop) is no loss.
alter table chunks
  add column claimed_by text,
  add column losses integer not null default 0,
  add column lost_by text;
