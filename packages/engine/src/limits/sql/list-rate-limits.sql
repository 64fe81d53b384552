-- The providers with a limit set, a rate learned from their headers, or paused now, in one workspace
-- or all, with workspace names.
-- $1 workspace id (null: every workspace).
select l.workspace_id as "workspaceId", w.name as "workspaceName", l.provider,
       l.requests_per_second as "requestsPerSecond", l.concurrency,
       l.learned_requests_per_second as "learnedRequestsPerSecond",
       case when l.paused_until > clock_timestamp() then l.paused_until end as "pausedUntil"
from rate_limits l
join workspaces w on w.id = l.workspace_id
where ($1::bigint is null or l.workspace_id = $1)
  and (l.requests_per_second is not null or l.concurrency is not null
       or l.learned_requests_per_second is not null or l.paused_until > clock_timestamp())
order by w.name, l.workspace_id, l.provider
