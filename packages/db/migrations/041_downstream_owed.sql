-- A chunk of a column that auto-run columns read owes them its finished rows: set when a worker starts
-- the chunk, cleared once it has started their runs over those rows (deps/owed-downstream.ts). A worker
-- killed in between (kill -9 mid-run of a 20,000-row column: 500-1,000 rows) or a chunk handed back
-- after some of its results were written left those rows without their downstream cells for ever, and
-- nothing said so. The reconciler starts what a chunk not running still owes a lease after it was marked.
alter table chunks add column downstream_owed_since timestamptz;
create index chunks_downstream_owed on chunks (downstream_owed_since) where downstream_owed_since is not null;
