-- What a worker needs to run a run's cells: the column's provider and config, the table's columns.
-- Read once per run per process.
select r.id, r.table_id as "tableId", r.column_id as "columnId", r.max_attempts as "maxAttempts",
       r.status, c.provider, c.config,
       (select json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) order by o.position)
        from columns o where o.table_id = r.table_id) as columns
from runs r
join columns c on c.id = r.column_id
where r.id = $1
