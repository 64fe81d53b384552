-- For columns that read other enrichment columns: each row's finished values of the table's other
-- enrichment columns, by column id. $1 the column being run, $2 row ids.
select r.row_id as "rowId",
       (select jsonb_object_agg(o.column_id::text, o.value)
        from cells o
        where o.column_id in (select id from columns where table_id = col.table_id and kind <> 'input')
          and o.row_id = r.row_id and o.status = 'done' and o.column_id <> col.id) as values
from columns col, unnest($2::bigint[]) as r(row_id)
where col.id = $1
