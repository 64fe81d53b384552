-- Sets (or clears, with nulls) a provider's limits in a workspace; $5 / $6 true keep the current
-- rate / concurrency. Slots already handed out stay valid (none lies more than 200 ms ahead), so a
-- lower rate holds from the next batch on.
-- $1 workspace id, $2 provider id, $3 requests per second, $4 concurrency, $5 keep rate, $6 keep concurrency.
insert into rate_limits (workspace_id, provider, requests_per_second, concurrency, updated_at)
values ($1, $2, case when $5::boolean then null else $3::float8 end,
        case when $6::boolean then null else $4::integer end, now())
on conflict (workspace_id, provider) do update
set requests_per_second = case when $5::boolean then rate_limits.requests_per_second
                               else excluded.requests_per_second end,
    concurrency = case when $6::boolean then rate_limits.concurrency else excluded.concurrency end,
    updated_at = now()
returning workspace_id as "workspaceId", provider, requests_per_second as "requestsPerSecond", concurrency,
          learned_requests_per_second as "learnedRequestsPerSecond",
          case when paused_until > clock_timestamp() then paused_until end as "pausedUntil"
