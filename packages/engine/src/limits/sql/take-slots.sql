-- Hands out $3 send times ("slots") for a provider, one statement per batch of calls, never per call.
-- Slots are spaced (1000 + $4) / rate ms apart, starting at the limit's next free slot and never before
-- now or the end of a pause. Times are returned relative to the database's clock (ms from now), so
-- workers on machines whose clocks disagree still interleave correctly. clock_timestamp(), not now():
-- a statement that waited for the row lock must not place slots in the past.
-- $1 workspace id, $2 provider id, $3 slots wanted, $4 jitter allowance in ms.
update rate_limits r
set next_slot = greatest(r.next_slot, clock_timestamp(), coalesce(r.paused_until, clock_timestamp()))
                + make_interval(secs => $3 * (1000 + $4::float8) / r.requests_per_second / 1000)
where r.workspace_id = $1 and r.provider = $2 and r.requests_per_second is not null
returning extract(epoch from (r.next_slot - clock_timestamp())) * 1000
            - $3 * (1000 + $4::float8) / r.requests_per_second as "firstInMs",
          (1000 + $4::float8) / r.requests_per_second as "spacingMs"
