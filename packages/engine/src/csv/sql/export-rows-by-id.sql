-- A page of an export by query (export-pages.ts queryPages): the rows of these ids, in the ids'
-- order, each by its primary key. A row deleted since the ids were found is not there.
-- $1 row ids, in the export's order.
select r.id, r.position, r.data
from unnest($1::bigint[]) with ordinality as u(id, ord)
join rows r on r.id = u.id
order by u.ord
