-- The done cells of some columns over a range of row ids, for a page whose ids are (nearly)
-- consecutive, as an imported table's are: one range scan of cells_pkey per column, both key
-- columns bound, so neither the table's size nor other tables' cells change its cost.
-- $1 column ids, $2 first row id, $3 last row id
select c.row_id as "rowId", c.column_id as "columnId", c.value
from cells c
where c.column_id = any($1::bigint[]) and c.row_id between $2::bigint and $3::bigint
  and c.status = 'done'
