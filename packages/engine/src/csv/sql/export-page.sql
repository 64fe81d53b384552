-- One page of rows in display order, with the values of their done cells by column id.
-- Keyset pagination on (position, id): each page is an index range scan, however deep.
-- $1 table id, $2 position after, $3 id after, $4 page size
select r.id, r.position, r.data,
       (select jsonb_object_agg(c.column_id::text, c.value)
        from cells c
        where c.row_id = r.id and c.status = 'done') as "values"
from rows r
where r.table_id = $1 and (r.position, r.id) > ($2::float8, $3::bigint)
order by r.position, r.id
limit $4
