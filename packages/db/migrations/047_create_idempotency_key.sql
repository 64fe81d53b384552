-- A table or a column created with an `Idempotency-Key` header (POST /tables, POST
-- /tables/:id/columns) keeps the key and a hash of the request, written in the statement or
-- transaction that creates it (engine tables/keyed-creations.ts): a client whose request met an outage
-- or a dropped connection retries with the same key and is answered with what it created — the table
-- or column as it is now — instead of a second table or a 409 for its own column's name. The primary
-- key is per workspace, so two requests racing with one key create once: the loser's transaction
-- (its table or column too) rolls back and it answers with the winner's. A key is remembered for 24
-- hours and goes with what it created (a table deleted, a column deleted: the key goes with it).
create table create_keys (
  idempotency_key text not null,
  workspace_id bigint not null,
  table_id bigint not null references tables (id) on delete cascade,
  -- null: the request created the table
  column_id bigint references columns (id) on delete cascade,
  request_hash text not null,
  created_at timestamptz not null default now(),
  primary key (idempotency_key, workspace_id)
);
create index create_keys_created on create_keys (created_at);
create index create_keys_table on create_keys (table_id);
create index create_keys_column on create_keys (column_id) where column_id is not null;
