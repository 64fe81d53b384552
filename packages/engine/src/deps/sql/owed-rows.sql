-- The rows a chunk owes each downstream column: its cells done in the upstream column whose cell of
-- that column is missing, or ended (or never ran) before the upstream cell finished; a cell queued
-- already is left to its run. Walks the upstream column's cells on the primary key (a rare path:
-- a chunk handed back or lost mid-way, or a worker killed before it started the downstream runs).
-- $1 chunk id, $2 upstream column id, $3 downstream column ids.
select d.column_id as "columnId", array_agg(u.row_id order by u.row_id) as "rowIds"
from cells u
cross join unnest($3::bigint[]) as d(column_id)
left join cells c on c.column_id = d.column_id and c.row_id = u.row_id
where u.column_id = $2 and u.chunk_id = $1 and u.status = 'done'
  and (c.row_id is null
       or (c.status <> 'queued' and (c.finished_at is null or c.finished_at < u.finished_at)))
group by d.column_id
