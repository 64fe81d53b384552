-- Budget reservations: before a worker calls a provider for a run with a budget it reserves the run's
-- average cost per call (cost / paid_calls) for each call, in one statement per wave of calls, and
-- releases the reservation once the wave's results (with their real cost) are written.
-- budget_reserved: money reserved by calls in flight; budget_calls: calls in flight (reserved);
-- paid_calls: provider calls finished, the denominator of the average.
alter table runs
  add column budget_reserved double precision not null default 0,
  add column budget_calls integer not null default 0,
  add column paid_calls integer not null default 0;
