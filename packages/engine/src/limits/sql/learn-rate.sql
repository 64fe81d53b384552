-- The rate a provider's quota headers show, for every worker to pace its calls to (when no rate is
-- configured: take-slots uses the configured one first).
-- $1 workspace id, $2 provider id, $3 requests per second.
insert into rate_limits (workspace_id, provider, learned_requests_per_second)
values ($1, $2, $3)
on conflict (workspace_id, provider) do update
set learned_requests_per_second = excluded.learned_requests_per_second
