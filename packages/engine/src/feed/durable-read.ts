/**
 * A select-list expression that makes the statement a durability barrier: what it read is on disk
 * before its answer arrives. Workers commit asynchronously, so a crash can lose their last commits
 * and, with them, the WAL records of `glaze_seq`, which then hands out seqs again after the restart.
 * A feed that had sent those lost changes would skip every new change up to its old position. A
 * transactional logical message gives the read an xid and a WAL record, so with synchronous commit
 * (forced on for this transaction) its commit flushes the WAL up to itself, and with it every commit
 * the read saw. Costs one small WAL record and one flush per read, at most ~20 a second per table;
 * needs no privilege and works at any `wal_level`. (`feed-async-commit-crash.test.ts`)
 */
export const durableRead = `(set_config('synchronous_commit', 'on', true) is not null
  and pg_logical_emit_message(true, 'glaze_feed', '') is not null)`;
