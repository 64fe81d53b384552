-- An import sent with an `Idempotency-Key` header (POST /tables/import, POST /tables/:id/import)
-- keeps the key, a hash of the request (its route, query and CSV bytes) and its answer, written in the
-- import's own transaction (engine csv/import-csv.ts): a client whose import met an outage or a
-- dropped connection retries with the same key and gets the first import's answer instead of a second
-- table or a second copy of the rows (csv/keyed-imports.ts). The primary key is per workspace, so two
-- imports racing with one key are one import: the second meets 23505 and its whole transaction (its
-- new table too) rolls back. A key is remembered for 24 hours and goes with the table it filled.
create table import_keys (
  idempotency_key text not null,
  workspace_id bigint not null,
  table_id bigint not null references tables (id) on delete cascade,
  request_hash text not null,
  answer jsonb not null,
  created_at timestamptz not null default now(),
  primary key (idempotency_key, workspace_id)
);
create index import_keys_created on import_keys (created_at);
create index import_keys_table on import_keys (table_id);
