-- One page of rows in display order. Keyset pagination on (position, id): each page is an index
-- range scan of rows_table_position, however deep. Their cells come in a second statement
-- (export-cells-range or export-cells-ids) that uses the cells key (column_id, row_id).
-- $1 table id, $2 position after, $3 id after, $4 page size
select r.id, r.position, r.data
from rows r
where r.table_id = $1 and (r.position, r.id) > ($2::float8, $3::bigint)
order by r.position, r.id
limit $4
