-- A provider's limit in a workspace, with how long it stays paused (ms from now; null: not paused).
-- $1 workspace id, $2 provider id.
select requests_per_second as "requestsPerSecond", concurrency,
       case when paused_until > clock_timestamp()
            then extract(epoch from (paused_until - clock_timestamp())) * 1000 end as "pausedForMs"
from rate_limits
where workspace_id = $1 and provider = $2
