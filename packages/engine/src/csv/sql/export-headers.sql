-- The CSV headers of non-input columns: every path `flattenValue` turns into a non-empty field for
-- some done cell ('' for a scalar, '.a.b' for an object's leaf), in order of the first row (by id)
-- holding it, as recorded when the values were written (migration 021). A path that is empty in
-- every row (a null answer, '' or {}) is no column of its own: that is how an export grew a blank
-- phantom column beside a waterfall's `NAME.provider`, `NAME.value`… when some of its cells
-- answered nothing. A column with no path at all is still exported, as one empty `NAME` column
-- (export-columns.ts).
-- $1 column ids
select column_id as "columnId", path
from column_value_paths
where column_id = any($1::bigint[])
order by column_id, first_row, ord, path
