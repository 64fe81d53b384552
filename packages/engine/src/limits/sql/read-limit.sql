-- A provider's limit in a workspace, the rate learned from its headers, and how long it stays paused
-- (ms from now; null: not paused).
-- $1 workspace id, $2 provider id.
select requests_per_second as "requestsPerSecond", concurrency,
       learned_requests_per_second as "learnedRequestsPerSecond",
       case when paused_until > clock_timestamp()
            then extract(epoch from (paused_until - clock_timestamp())) * 1000 end as "pausedForMs"
from rate_limits
where workspace_id = $1 and provider = $2
