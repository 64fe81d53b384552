-- Rows (of those given) where an upstream column's cell is still queued or running: a downstream
-- cell there would read a missing or stale value. Uses cells' unique (column_id, row_id).
-- $1 upstream column ids, $2 row ids.
select distinct c.row_id as "rowId"
from cells c
where c.column_id = any($1::bigint[]) and c.row_id = any($2::bigint[]) and c.status = 'queued'
