-- Takes a run's expansion lock for the rest of the transaction: the advisory lock (2, run id). An
-- expansion batch (expand-run.ts) and a cancel (cancel-run.ts) each take it before their statement,
-- so each statement's snapshot sees what the other committed: a cancel sees every cell a batch
-- queued, and a batch after a cancel finds the run cancelled. Flushes never take it: a batch does
-- not hold up the run's results. $1 run id.
select pg_advisory_xact_lock(2, $1::int) is not null as locked
