-- Saved views (issue 12): a named filter, sort and search over a table plus the columns it hides,
-- so a person can come back to "the failed emails, newest first" from a link, and run a column over
-- the rows the view matches now. `query` holds the same shape GET /tables/:id/rows reads (validated
-- by the engine before it is stored); columns are kept by id, so renaming one keeps the view.
create table views (
  id bigint generated always as identity primary key,
  table_id bigint not null references tables (id) on delete cascade,
  name text not null,
  query jsonb not null default '{}',
  hidden_column_ids bigint[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (table_id, name)
);
