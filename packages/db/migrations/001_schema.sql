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

-- One row per (row, enrichment column). Fencing token: (run_id, attempt).
create table cells (
  id bigint generated always as identity primary key,
  table_id bigint not null,
  row_id bigint not null references rows (id) on delete cascade,
  column_id bigint not null references columns (id) on delete cascade,
  status text not null default 'idle'
    check (status in ('idle', 'queued', 'running', 'done', 'error', 'skipped', 'cancelled')),
  value jsonb,
  error text,
  run_id bigint,
  attempt integer not null default 0,
  tries integer not null default 0,
  lease_until timestamptz,
  cost double precision,
  meta jsonb,
  seq bigint not null default nextval('glaze_seq'),
  queued_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  unique (row_id, column_id)
) with (fillfactor = 80);
create index cells_table_seq on cells (table_id, seq);
create index cells_column on cells (column_id);
create index cells_run on cells (run_id);
create index cells_lease on cells (lease_until) where status = 'running';

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

-- Adds one graphile-worker job per chunk of cells (in the order given), so a run of 100,000 cells
-- costs one call, not 100,000. Returns the number of jobs added.
create function glaze_enqueue_chunks(run_ids bigint[], cell_ids bigint[], chunk_size integer)
returns integer language sql volatile as $$
  with cells as (
    select run_id, cell_id, ord from unnest(run_ids, cell_ids) with ordinality as u(run_id, cell_id, ord)
  ),
  chunks as (
    select run_id, array_agg(cell_id order by ord) as ids, min(ord) as ord
    from (select *, (row_number() over (partition by run_id order by ord) - 1) / chunk_size as n from cells) c
    group by run_id, n
  ),
  added as (
    select graphile_worker.add_jobs(array_agg(
      row('glaze_chunk', json_build_object('runId', run_id, 'cellIds', ids), null, null, 25, null, null, null)
        ::graphile_worker.job_spec order by ord))
    from chunks
    having count(*) > 0
  )
  -- add_jobs returns one row per job added
  select count(*)::int from added
$$;
