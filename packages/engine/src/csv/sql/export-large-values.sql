-- The done values over 64 KB of one row (export-cells-range listed the row in `large`), whole: a
-- row's at a time, so an export holds at most one row's large values (each at most 64 MB).
-- $1 column ids, $2 row id
select c.column_id as "columnId", c.value
from cells c
where c.column_id = any($1::bigint[]) and c.row_id = $2::bigint and c.status = 'done'
