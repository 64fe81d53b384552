-- A provider's rate learned from its own quota headers (x-ratelimit-limit / remaining / reset) when
-- nobody configured one (issue #14): every worker process paces its calls to it from the same
-- next_slot, so two processes share the provider's budget instead of each assuming all of it. A
-- configured requests_per_second always wins over it.
alter table rate_limits
  add column learned_requests_per_second double precision check (learned_requests_per_second > 0);
