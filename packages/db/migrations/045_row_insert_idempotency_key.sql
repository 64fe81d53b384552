-- Rows appended with an `Idempotency-Key` header (POST /tables/:id/rows) keep the key, a hash of the
-- request and the ids they were given, written in the statement that appends them
-- (engine rows/insert-rows.ts): a client whose append met an outage or a dropped connection retries
-- with the same key and gets those ids back instead of a second copy of its rows
-- (rows/keyed-row-inserts.ts). The primary key makes two appends racing with one key one append: the
-- second meets 23505, its rows are rolled back with it, and it answers with the first's ids. A key is
-- remembered for 24 hours (an append that carries one drops the older ones first); it goes with its table.
create table row_insert_keys (
  idempotency_key text not null,
  table_id bigint not null references tables (id) on delete cascade,
  request_hash text not null,
  ids bigint[] not null,
  created_at timestamptz not null default now(),
  primary key (idempotency_key, table_id)
);
create index row_insert_keys_created on row_insert_keys (created_at);
