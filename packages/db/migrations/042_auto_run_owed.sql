-- Rows appended to a table with auto-run columns are owed their runs from the transaction that adds
-- them until the runs are started (the server starts them after the rows commit: routes/
-- auto-run-new-rows.ts). A server killed in between left those rows without their auto-run cells for
-- ever. One row per table: the range of row ids owed (ranges of concurrent appends merged; every row
-- of the table in it was appended since the oldest of them) and since when. The worker's reconciler
-- starts what is still owed a lease later (deps/run-owed-auto-columns.ts), for rows with no cell in
-- the column yet.
create table auto_run_owed (
  table_id bigint primary key references tables (id) on delete cascade,
  row_ids int8range not null,
  since timestamptz not null default now()
);

-- Called in the statement or transaction that appends rows [p_from, p_to] to p_table: records them as
-- owed when the table has an auto-run column. Returns true.
create function glaze_owe_auto_run(p_table bigint, p_from bigint, p_to bigint) returns boolean
language sql volatile as $$
  insert into auto_run_owed as o (table_id, row_ids)
  select p_table, int8range(p_from, p_to, '[]')
  where p_from is not null
    and exists (select 1 from columns c
                where c.table_id = p_table and c.kind = 'enrichment' and c.config @> '{"autoRun": true}')
  on conflict (table_id) do update set row_ids = range_merge(o.row_ids, excluded.row_ids);
  select true
$$;
