-- What a feed that is behind a table's changes reads past its position, so its watchers see the
-- run move and their rows turn queued while a 100,000-cell run writes faster than the feed reads:
-- the table's runs changed after $2, and the newest state of the cells of rows $3 changed after $2.
-- Cells are found by their key (column, row), one index probe per enrichment column and row; they
-- come as the event stream sends them, one `glaze_feed_cell` text a line (migrations 031 and 035:
-- a value over 64 KB is left out, its size measured once in `l`).
-- The last select-list item is the feed's durability barrier (feed/durable-read.ts), inlined.
-- $1 table id, $2 seq the feed has read up to, $3 row ids (empty: runs only).
select (
  select coalesce(json_agg(r order by r.seq), '[]') from (
    select id, table_id, column_id, status, total, done_count, error_count, skipped_count, cancelled_count,
           cost, budget, cancel_reason, created_at, finished_at, seq
    from runs where table_id = $1 and seq > $2
  ) r
) as runs,
(
  select coalesce(string_agg(
           glaze_feed_cell(v.seq, v.row_id, v.column_id, v.id, v.status, v.value, v.error, v.attempt,
             v.tries, v.run_id, v.cost, v.meta, v.started_at, v.finished_at, l.bytes),
           E'\n' order by v.seq), '')
  from columns col
  cross join unnest($3::bigint[]) as w(row_id)
  join cell_states v on v.column_id = col.id and v.row_id = w.row_id
  cross join lateral (select glaze_large_value_bytes(v.value) as bytes offset 0) l
  where col.table_id = $1 and col.kind = 'enrichment' and v.seq > $2
) as cells,
(set_config('synchronous_commit', 'on', true) is not null
  and pg_logical_emit_message(true, 'glaze_feed', '') is not null) as durable
