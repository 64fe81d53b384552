-- Changes that leave no row behind to carry a seq: deleted rows and edits of a table's columns.
-- The change feed reads them with cells, runs and rows (seq > last), so a client that resumes
-- with Last-Event-ID learns about a deletion it missed while disconnected.
create table table_changes (
  seq bigint primary key default nextval('glaze_seq'),
  table_id bigint not null references tables (id) on delete cascade,
  kind text not null check (kind in ('schema', 'rowsDeleted')),
  ids bigint[] not null default '{}',
  created_at timestamptz not null default now()
);
create index table_changes_table_seq on table_changes (table_id, seq);
