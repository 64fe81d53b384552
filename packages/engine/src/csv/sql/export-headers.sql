-- The CSV header of each non-input column: every path `flattenValue` will produce from its done
-- cells ('' for a scalar, '.a.b' for an object's leaf), in order of first appearance.
-- One pass over the table's cells inside Postgres; only the distinct paths come back.
-- $1 table id
with recursive walk (column_id, first_position, path, ord, value) as (
  select c.column_id, r.position, ''::text, array[]::bigint[], c.value
  from cells c
  join rows r on r.id = c.row_id
  where c.table_id = $1 and c.status = 'done'
  union all
  select w.column_id, w.first_position, w.path || '.' || e.key, w.ord || e.ord, e.value
  from walk w
  cross join lateral jsonb_each(w.value) with ordinality as e (key, value, ord)
  where jsonb_typeof(w.value) = 'object'
)
select column_id as "columnId", path
from walk
where value is null or jsonb_typeof(value) <> 'object' or value = '{}'::jsonb
group by column_id, path
order by column_id, min(first_position), min(ord), path
