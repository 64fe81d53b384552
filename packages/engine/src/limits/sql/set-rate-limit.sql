-- Sets (or clears, with nulls) a provider's limits in a workspace. Slots already handed out stay
-- valid (at most about a second of them), so a lower rate holds from the next batch on.
-- $1 workspace id, $2 provider id, $3 requests per second, $4 concurrency.
insert into rate_limits (workspace_id, provider, requests_per_second, concurrency, updated_at)
values ($1, $2, $3, $4, now())
on conflict (workspace_id, provider) do update
set requests_per_second = excluded.requests_per_second, concurrency = excluded.concurrency,
    updated_at = now()
returning workspace_id as "workspaceId", provider, requests_per_second as "requestsPerSecond", concurrency
