-- The done values of some columns for a page of scattered row ids (rows moved or appended between
-- others): one cells_pkey look-up per (column, row), both key columns bound. One row per column,
-- its values as one JSON object keyed by row id, the row ids of values over 64 KB in `large` (see
-- export-cells-range).
-- $1 column ids, $2 row ids
select c.column_id as "columnId",
       json_object_agg(c.row_id, c.value) filter (where l.bytes is null) as "values",
       array_agg(c.row_id) filter (where l.bytes is not null) as "large"
from cells c
cross join lateral (select glaze_large_value_bytes(c.value) as bytes offset 0) l
where c.column_id = any($1::bigint[]) and c.row_id = any($2::bigint[])
  and c.status = 'done'
group by c.column_id
