-- The done cells of some columns for a page of scattered row ids (rows moved or appended between
-- others): one cells_pkey look-up per (column, row), both key columns bound.
-- $1 column ids, $2 row ids
select c.row_id as "rowId", c.column_id as "columnId", c.value
from cells c
where c.column_id = any($1::bigint[]) and c.row_id = any($2::bigint[])
  and c.status = 'done'
