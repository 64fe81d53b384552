-- Glaze schema. Every cell change takes a value from glaze_seq, which orders the change feed.
create sequence glaze_seq;

create table workspaces (
  id bigint generated always as identity primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table api_tokens (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspaces (id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);

create table tables (
  id bigint generated always as identity primary key,
  workspace_id bigint not null references workspaces (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index tables_workspace on tables (workspace_id, id);

create table columns (
  id bigint generated always as identity primary key,
  table_id bigint not null references tables (id) on delete cascade,
  name text not null,
  kind text not null check (kind in ('input', 'enrichment', 'formula')),
  provider text,
  config jsonb not null default '{}',
  position integer not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (table_id, name)
);

-- Input values, keyed by column id so renaming a column is free.
create table rows (
  id bigint generated always as identity primary key,
  table_id bigint not null references tables (id) on delete cascade,
  position double precision not null,
  data jsonb not null default '{}',
  seq bigint not null default nextval('glaze_seq'),
  created_at timestamptz not null default now()
);
create index rows_table_position on rows (table_id, position, id);
create index rows_table_seq on rows (table_id, seq);

create table runs (
  id bigint generated always as identity primary key,
  table_id bigint not null references tables (id) on delete cascade,
  column_id bigint not null references columns (id) on delete cascade,
  scope jsonb not null,
  status text not null default 'running' check (status in ('running', 'done', 'cancelled')),
  total integer not null default 0,
  done_count integer not null default 0,
  error_count integer not null default 0,
  skipped_count integer not null default 0,
  cancelled_count integer not null default 0,
  max_attempts integer not null default 3,
  cost double precision not null default 0,
  budget double precision,
  cancel_reason text,
  seq bigint not null default nextval('glaze_seq'),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index runs_table on runs (table_id, id);
create index runs_table_seq on runs (table_id, seq);

-- Each run's cells are split into chunks, one worker job each. A worker claims a whole chunk
-- (one row written, not one per cell); its cells read as `running` while the chunk is claimed.
-- Fencing token: (chunk_id, attempt) — the chunk's attempt goes up with every claim.
create table chunks (
  id bigint generated always as identity primary key,
  run_id bigint not null references runs (id) on delete cascade,
  table_id bigint not null,
  ordinal integer not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done')),
  attempt integer not null default 0,
  lease_until timestamptz,
  claimed_at timestamptz,
  seq bigint not null default nextval('glaze_seq')
);
create index chunks_run on chunks (run_id);
create index chunks_table_seq on chunks (table_id, seq);
create index chunks_lease on chunks (lease_until) where status = 'running';

-- One row per (row, enrichment column), written twice per run: queued at start, the result at the end.
-- Few indexes and no foreign keys on purpose: every write of a cell inserts into each index, and a
-- foreign key costs a lookup per inserted cell. Cells are only ever created from existing rows and
-- columns (start-run), and the triggers below delete them with their row or column.
create table cells (
  id bigint generated always as identity primary key,
  table_id bigint not null,
  row_id bigint not null,
  column_id bigint not null,
  status text not null default 'idle'
    check (status in ('idle', 'queued', 'done', 'error', 'skipped', 'cancelled')),
  value jsonb,
  error text,
  run_id bigint,
  chunk_id bigint,
  attempt integer not null default 0,
  tries integer not null default 0,
  cost double precision,
  meta jsonb,
  seq bigint not null default nextval('glaze_seq'),
  queued_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  -- column first: a column's cells (runs, deletes) and a row's cells (`column_id = any(…) and row_id = …`)
  unique (column_id, row_id)
) with (fillfactor = 80);
create index cells_table_seq on cells (table_id, seq);
-- Only queued cells are indexed by chunk: a finished cell costs this index nothing.
create index cells_queued on cells (chunk_id) where status = 'queued';

create table provider_cache (
  provider text not null,
  key text not null,
  value jsonb,
  empty boolean not null default false,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (provider, key)
);
create index provider_cache_expiry on provider_cache (expires_at);

-- Cells go with their rows and columns: one statement per delete, however many rows it removes.
create function glaze_delete_cells_of_rows() returns trigger language plpgsql as $$
begin
  delete from cells c
  using old_rows o, columns col
  where col.table_id = o.table_id and c.column_id = col.id and c.row_id = o.id;
  return null;
end
$$;
create trigger rows_delete_cells after delete on rows
  referencing old table as old_rows for each statement execute function glaze_delete_cells_of_rows();

create function glaze_delete_cells_of_columns() returns trigger language plpgsql as $$
begin
  delete from cells c using old_columns o where c.column_id = o.id;
  return null;
end
$$;
create trigger columns_delete_cells after delete on columns
  referencing old table as old_columns for each statement execute function glaze_delete_cells_of_columns();
