-- For columns that read other enrichment columns: each cell's row's finished enrichment values, by
-- column id. $1 cell ids.
select c.id,
       (select jsonb_object_agg(o.column_id::text, o.value)
        from cells o
        where o.column_id in (select id from columns where table_id = c.table_id and kind <> 'input')
          and o.row_id = c.row_id and o.status = 'done' and o.column_id <> c.column_id) as values
from cells c
where c.id = any($1::bigint[])
