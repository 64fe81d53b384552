-- Hands out $3 send times ("slots") for a provider, one statement per batch of calls, never per call.
-- The rate is the configured one, else the one learned from the provider's quota headers, and this
-- statement, not the caller, picks the allowances that go with it, from the row it locks: a rate
-- configured a moment ago wins from its first batch on, whatever the caller last read.
-- A configured rate: slots spaced (1000 + $4) / rate ms apart (the jitter allowance), never before
-- now or the end of a pause, each used within $6 ms of its time or dropped.
-- A learned rate: slots spaced 1000 / rate ms apart, never before the end of a pause nor before now
-- less $5 ms (slots nobody took in those last $5 ms may still be used, late), each used within $5 ms:
-- the provider's own burst absorbs that jitter.
-- Times are returned relative to the database's clock (ms from now), so workers on machines whose
-- clocks disagree still interleave correctly. clock_timestamp(), not now(): a statement that waited
-- for the row lock must not place slots in the past.
-- $1 workspace id, $2 provider id, $3 slots wanted, $4 jitter allowance in ms (configured rate),
-- $5 catch-up and lateness allowance in ms (learned rate), $6 lateness allowance in ms (configured rate).
update rate_limits r
set next_slot = greatest(r.next_slot,
                         clock_timestamp() - make_interval(secs => case when r.requests_per_second is null
                                                                        then $5::float8 / 1000 else 0 end),
                         coalesce(r.paused_until, '-infinity'))
                + make_interval(secs => $3 * (1000 + case when r.requests_per_second is null then 0 else $4::float8 end)
                                / coalesce(r.requests_per_second, r.learned_requests_per_second) / 1000)
where r.workspace_id = $1 and r.provider = $2
  and coalesce(r.requests_per_second, r.learned_requests_per_second) is not null
returning extract(epoch from (r.next_slot - clock_timestamp())) * 1000
            - $3 * (1000 + case when r.requests_per_second is null then 0 else $4::float8 end)
              / coalesce(r.requests_per_second, r.learned_requests_per_second) as "firstInMs",
          (1000 + case when r.requests_per_second is null then 0 else $4::float8 end)
            / coalesce(r.requests_per_second, r.learned_requests_per_second) as "spacingMs",
          case when r.requests_per_second is null then $5::float8 else $6::float8 end as "staleMs"
