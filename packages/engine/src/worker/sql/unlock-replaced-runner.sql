-- The jobs a replaced job runner's graphile-worker ids still lock (a completion it could not write,
-- its local queue), unlocked once the runner that replaced it runs (create-worker.ts), rather than a
-- lease later by unlock-dead-workers.sql. Returns how many were locked. $1 the old runner's ids.
with locked as (
  select count(*)::int as jobs from graphile_worker.jobs where locked_by = any($1::text[])
)
select jobs from locked, lateral (select graphile_worker.force_unlock_workers($1::text[])) unlocked
