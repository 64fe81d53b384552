-- What a worker needs to run a run's cells: the column's provider and config, the table's columns,
-- and for dependencies, limits and budgets the table's workspace, the run's budget and the table's
-- enrichment columns. One statement, read once per run per process. $1 run id.
-- `limits`: the provider's rate limits in the workspace, its own and its hosts' (`<provider>:<host>`),
-- as limits/sql/read-limit.sql reads them: the gate takes them from here, so a run's first chunk pays
-- no round trip of its own for them (a database 100 ms away: a tenth of a second on a 10-cell run).
select r.id, r.table_id as "tableId", r.column_id as "columnId", r.max_attempts as "maxAttempts",
       r.status, c.provider, c.config, t.workspace_id as "workspaceId", r.budget,
       (select json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) order by o.position)
        from columns o where o.table_id = r.table_id) as columns,
       coalesce((select json_agg(json_build_object('id', e.id, 'name', e.name, 'provider', e.provider,
                                                   'config', e.config) order by e.position)
                 from columns e where e.table_id = r.table_id and e.kind = 'enrichment'), '[]') as enrichments,
       coalesce((select json_agg(json_build_object(
                   'key', l.provider, 'requestsPerSecond', l.requests_per_second, 'concurrency', l.concurrency,
                   'learnedRequestsPerSecond', l.learned_requests_per_second,
                   'pausedForMs', case when l.paused_until > clock_timestamp()
                                       then extract(epoch from (l.paused_until - clock_timestamp())) * 1000 end))
                 from rate_limits l
                 where l.workspace_id = t.workspace_id
                   and (l.provider = c.provider or l.provider like c.provider || ':%')), '[]') as limits
from runs r
join columns c on c.id = r.column_id
join tables t on t.id = r.table_id
where r.id = $1
