-- An edit that makes cells of an auto-run column stale (PATCH rows, a CSV upsert) owes the table a
-- re-run of them. The server starts it after the edit commits, debounced by up to 2 s
-- (apps/server/src/stale-auto-run.ts); a server killed in between left those cells stale for ever.
-- One row per table, written in the editing statement; `touched` is the latest such edit, so the
-- re-run clears only what it saw (deps/run-stale-auto-columns.ts). The worker's reconciler re-runs
-- what is still owed a lease later.
create table stale_auto_run_owed (
  table_id bigint primary key references tables (id) on delete cascade,
  since timestamptz not null default now(),
  touched timestamptz not null default now()
);

-- Called in a statement that made cells of p_columns stale in p_table: records the debt when one of
-- them is an auto-run column. Returns true.
create function glaze_owe_stale_auto_run(p_table bigint, p_columns bigint[]) returns boolean
language sql volatile as $$
  insert into stale_auto_run_owed as o (table_id)
  select p_table
  where exists (select 1 from columns c where c.id = any(p_columns) and c.config @> '{"autoRun": true}')
  on conflict (table_id) do update set touched = now();
  select true
$$;
