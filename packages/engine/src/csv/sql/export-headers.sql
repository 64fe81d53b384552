-- The CSV headers of non-input columns: every path `flattenValue` turns into a non-empty field for
-- some done cell ('' for a scalar, '.a.b' for an object's leaf), in order of the first row (by id)
-- holding it. A path that is empty in every row (a null answer, '' or {}) is no column of its own:
-- that is how an export grew a blank phantom column beside a waterfall's `NAME.provider`,
-- `NAME.value`… when some of its cells answered nothing. A column with no such path at all is
-- still exported, as one empty `NAME` column (export-columns.ts).
-- One pass over these columns' cells by the cells key, inside Postgres; only the paths come back.
-- $1 column ids
with recursive walk (column_id, first_row, path, ord, value) as (
  select c.column_id, c.row_id, ''::text, array[]::bigint[], c.value
  from cells c
  where c.column_id = any($1::bigint[]) and c.status = 'done' and c.value is not null
  union all
  select w.column_id, w.first_row, w.path || '.' || e.key, w.ord || e.ord, e.value
  from walk w
  cross join lateral jsonb_each(w.value) with ordinality as e (key, value, ord)
  where jsonb_typeof(w.value) = 'object'
)
select column_id as "columnId", path
from walk
where jsonb_typeof(value) not in ('object', 'null') and value <> '""'::jsonb
group by column_id, path
order by column_id, min(first_row), min(ord), path
