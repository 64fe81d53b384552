-- Hands out $3 send times ("slots") for a provider, one statement per batch of calls, never per call,
-- and none more than $7 ms ahead: a batch whose last slot would lie further out is refused (count 0)
-- and the caller asks again when it fits (firstInMs + ($3 - 1) * spacingMs - $7 from now). Slots in
-- hand are not recalled by a pause another worker sets, so this bounds how long a pause takes to hold
-- every worker, however many batches workers take back to back.
-- The rate is the configured one, else the one learned from the provider's quota headers, and this
-- statement, not the caller, picks the allowances that go with it, from the row it locks: a rate
-- configured a moment ago wins from its first batch on, whatever the caller last read.
-- A configured rate: slots spaced (1000 + $4) / rate ms apart (the jitter allowance), never before
-- now or the end of a pause, each used within $6 ms of its time or dropped.
-- A learned rate: slots spaced 1000 / rate ms apart, never before the end of a pause nor before now
-- less $5 ms (slots nobody took in those last $5 ms may still be used, late), each used within $5 ms:
-- the provider's own burst absorbs that jitter.
-- Times are returned on the database's clock (ms after ranAtMs, when the statement ran by it), so
-- workers on machines whose clocks disagree still interleave (database-clock.ts maps it). The clock is
-- read after the row lock is held (the locking subquery is not flattened): a statement that waited
-- for it must not place slots in the past.
-- pausedForMs: how long the provider stays paused (null: not paused), so every batch tells of a pause.
-- $1 workspace id, $2 provider id, $3 slots wanted, $4 jitter allowance in ms (configured rate),
-- $5 catch-up and lateness allowance in ms (learned rate), $6 lateness allowance in ms (configured rate),
-- $7 how far ahead the last slot may lie, in ms.
with locked as (
  select workspace_id, provider, next_slot, paused_until, requests_per_second is not null as configured,
         coalesce(requests_per_second, learned_requests_per_second) as rate
  from rate_limits
  where workspace_id = $1 and provider = $2
    and coalesce(requests_per_second, learned_requests_per_second) is not null
  for update
), paced as (
  select l.*, clock_timestamp() as now,
         (1000 + case when l.configured then $4::float8 else 0 end) / l.rate as spacing_ms,
         case when l.configured then $6::float8 else $5::float8 end as stale_ms,
         case when l.configured then 0 else $5::float8 end as catch_up_ms
  from locked l
), placed as (
  select p.*, extract(epoch from (greatest(p.next_slot,
                                           p.now - make_interval(secs => p.catch_up_ms / 1000),
                                           coalesce(p.paused_until, '-infinity')) - p.now)) * 1000 as first_in_ms
  from paced p
), granted as (
  select p.*, case when p.first_in_ms + ($3::int - 1) * p.spacing_ms <= $7::float8 then $3::int else 0 end as count
  from placed p
)
update rate_limits r
set next_slot = g.now + make_interval(secs => (g.first_in_ms + g.count * g.spacing_ms) / 1000)
from granted g
where r.workspace_id = g.workspace_id and r.provider = g.provider
returning extract(epoch from g.now) * 1000 as "ranAtMs", g.first_in_ms as "firstInMs", g.spacing_ms as "spacingMs", g.stale_ms as "staleMs", g.count,
          case when g.paused_until > g.now
               then extract(epoch from (g.paused_until - g.now)) * 1000 end as "pausedForMs"
