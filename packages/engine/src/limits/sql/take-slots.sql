-- Hands out $3 send times ("slots") for a provider, one statement per batch of calls, never per call.
-- Slots are spaced (1000 + $4) / rate ms apart, starting at the limit's next free slot and never before
-- the end of a pause, nor before now less $5 ms: slots nobody took in those last $5 ms may still be
-- used, late (0 for a configured rate; a learned one passes a fraction of the provider's own burst). The rate is the configured one, else the one learned from the provider's
-- quota headers (whose own burst absorbs jitter: the gate passes $4 = 0 then). Times are returned
-- relative to the database's clock (ms from now), so workers on machines whose clocks disagree still
-- interleave correctly. clock_timestamp(), not now(): a statement that waited for the row lock must not
-- place slots in the past.
-- $1 workspace id, $2 provider id, $3 slots wanted, $4 jitter allowance in ms, $5 catch-up allowance in ms.
update rate_limits r
set next_slot = greatest(r.next_slot, clock_timestamp() - make_interval(secs => $5::float8 / 1000),
                         coalesce(r.paused_until, '-infinity'))
                + make_interval(secs => $3 * (1000 + $4::float8)
                                / coalesce(r.requests_per_second, r.learned_requests_per_second) / 1000)
where r.workspace_id = $1 and r.provider = $2
  and coalesce(r.requests_per_second, r.learned_requests_per_second) is not null
returning extract(epoch from (r.next_slot - clock_timestamp())) * 1000
            - $3 * (1000 + $4::float8) / coalesce(r.requests_per_second, r.learned_requests_per_second) as "firstInMs",
          (1000 + $4::float8) / coalesce(r.requests_per_second, r.learned_requests_per_second) as "spacingMs"
