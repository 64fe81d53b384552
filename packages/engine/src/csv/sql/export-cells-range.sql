-- The done values of some columns over a range of row ids, for a page whose ids are (nearly)
-- consecutive, as an imported table's are: one range scan of cells_pkey per column, both key
-- columns bound, so neither the table's size nor other tables' cells change its cost. One row per
-- column, its values as one JSON object keyed by row id: a page of 1,000 rows × 3 columns is 3 rows
-- to send and parse, not 3,000 (Node CPU 2.0-2.3 -> 0.75 ms a page, round trip 7.5-11 -> 6-7 ms).
-- A value over 64 KB of JSON (migration 035) is not in the object but its row id in `large`, read
-- on its own (export-large-values): 1,000 cells of 3 MB made one object past Postgres's 1 GB.
-- $1 column ids, $2 first row id, $3 last row id
select c.column_id as "columnId",
       json_object_agg(c.row_id, c.value) filter (where l.bytes is null) as "values",
       array_agg(c.row_id) filter (where l.bytes is not null) as "large"
from cells c
cross join lateral (select glaze_large_value_bytes(c.value) as bytes offset 0) l
where c.column_id = any($1::bigint[]) and c.row_id between $2::bigint and $3::bigint
  and c.status = 'done'
group by c.column_id
