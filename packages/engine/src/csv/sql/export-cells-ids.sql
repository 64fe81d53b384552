-- The done values of some columns for a page of scattered row ids (rows moved or appended between
-- others): one cells_pkey look-up per (column, row), both key columns bound. One row per column,
-- its values as one JSON object keyed by row id (see export-cells-range).
-- $1 column ids, $2 row ids
select c.column_id as "columnId", json_object_agg(c.row_id, c.value) as "values"
from cells c
where c.column_id = any($1::bigint[]) and c.row_id = any($2::bigint[])
  and c.status = 'done'
group by c.column_id
