-- What a worker needs to run a run's cells: the column's provider and config, the table's columns,
-- and for dependencies, limits and budgets the table's workspace, the run's budget and the table's
-- enrichment columns. One statement, read once per run per process. $1 run id.
select r.id, r.table_id as "tableId", r.column_id as "columnId", r.max_attempts as "maxAttempts",
       r.status, c.provider, c.config, t.workspace_id as "workspaceId", r.budget,
       (select json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) order by o.position)
        from columns o where o.table_id = r.table_id) as columns,
       coalesce((select json_agg(json_build_object('id', e.id, 'name', e.name, 'provider', e.provider,
                                                   'config', e.config) order by e.position)
                 from columns e where e.table_id = r.table_id and e.kind = 'enrichment'), '[]') as enrichments
from runs r
join columns c on c.id = r.column_id
join tables t on t.id = r.table_id
where r.id = $1
