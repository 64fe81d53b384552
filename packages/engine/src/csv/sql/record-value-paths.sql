-- The export header's paths a worker's flush is about to write (csv/record-value-paths.ts): new ones
-- added, known ones moved to an earlier first row or key position; in (column, path) order, so two
-- workers adding the same paths take their locks in one order.
-- $1 column ids, $2 paths, $3 first rows, $4 key positions as bigint[] literals
insert into column_value_paths as p (column_id, path, first_row, ord)
select c, path, r, o::bigint[]
from unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) as u(c, path, r, o)
on conflict (column_id, path) do update
  set first_row = least(p.first_row, excluded.first_row), ord = least(p.ord, excluded.ord)
  where excluded.first_row < p.first_row or excluded.ord < p.ord
