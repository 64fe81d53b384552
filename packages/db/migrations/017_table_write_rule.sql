-- The change feed's write rule, written once. Every statement that gives a row of a table a seq
-- (cells, chunks, runs, rows, table_changes: an update with nextval('glaze_seq') or an insert that
-- takes the column default) does three things, in this order:
--   1. glaze_lock_table(table_id): the table's advisory lock (1, table_id), SHARED — writers never
--      wait for each other. The feed (glaze_table_feed, glaze_table_seq) takes the same lock
--      EXCLUSIVELY before it reads, so it waits for every writer holding it: a seq taken under the
--      lock is committed (or rolled back) before any read that could pass it, and `seq > last`
--      never skips a change. The lock must come before the first nextval, so the statement makes
--      its seq-taking part read from the part that locks (a CTE, a join, or a `where … and
--      glaze_lock_table(…)`): a seq taken before the lock could be passed by a read in between.
--      Shared advisory locks stack within a transaction; one call per table per statement is
--      enough, more are harmless. A transaction that holds the lock exclusively (withTableLock) may
--      call it too.
--   2. nextval('glaze_seq') for every row written (one seq per row: the feed sends a row when its
--      seq is past the reader's).
--   3. glaze_notify_table(table_id, payload): one NOTIFY on the table's channel with the newest seq
--      the statement took (delivered at commit), so the table's watchers read now instead of at
--      their next poll. Once per table per statement, not per row: distinct payloads are not merged,
--      and 100,000 notifications would queue behind each other at commit.
-- Both functions are plain SQL expressions, inlined into the calling statement by the planner: the
-- hot path (claim, flush) costs what the hand-written expressions did.
-- packages/engine/test/table-write-rule.test.ts fails on any engine statement that writes a seq
-- without calling both.

create function glaze_lock_table(p_table bigint) returns boolean
language sql volatile as $$
  select pg_advisory_xact_lock_shared(1, p_table::int) is not null
$$;

-- The channel is `glaze_table_<id>`; in TypeScript, tableChannel(id) (packages/engine/src/feed/table-channel.ts).
-- The payload is the newest seq as text, or 'deleted' when the table is gone. Returns true. Like
-- pg_notify, a null payload still notifies (with ''): callers skip it when they wrote nothing.
create function glaze_notify_table(p_table bigint, p_payload text) returns boolean
language sql volatile as $$
  select pg_notify('glaze_table_' || p_table, p_payload) is not null
$$;
