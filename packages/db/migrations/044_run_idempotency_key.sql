-- A run started with an `Idempotency-Key` header keeps the key and a hash of the request that
-- started it. A client whose start met an outage or a dropped connection (a 503 although the start
-- committed) retries with the same key and gets the run it started, not a second run that pays its
-- provider again (runs/keyed-runs.ts). A start of every column keeps the key on each column's run,
-- so a retry after it was cut off part-way starts only the columns it had not reached. The unique
-- index makes two starts racing with one key one run: the second meets 23505 and replays the first.
-- The key leads the index: look-ups are by key, within a workspace.
alter table runs add column idempotency_key text, add column request_hash text;
create unique index runs_idempotency on runs (idempotency_key, column_id) where idempotency_key is not null;
