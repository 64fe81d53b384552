-- What a worker needs beyond the run context for dependencies, limits and budgets: the table's
-- workspace, the run's budget, and the table's enrichment columns. Read once per run per process.
-- $1 run id.
select t.workspace_id as "workspaceId", r.column_id as "columnId", r.budget,
       coalesce((select json_agg(json_build_object('id', c.id, 'name', c.name, 'provider', c.provider,
                                                   'config', c.config) order by c.position)
                 from columns c where c.table_id = r.table_id and c.kind = 'enrichment'), '[]') as enrichments
from runs r
join tables t on t.id = r.table_id
where r.id = $1
