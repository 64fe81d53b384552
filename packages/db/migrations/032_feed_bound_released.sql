-- glaze_table_seq() (migration 004) took the table's lock exclusively until its transaction ended. A
-- feed that keeps up reads its bound and its changes in one statement, so the lock lasted the whole
-- read: every claim and flush of the table waited for the read's JSON (a 1,000-cell run's first read,
-- its 1,000 queued cells, held both chunks' flushes ~80 ms at load 8), and the durability barrier had
-- to be a statement of its own, a round trip after the read, so the lock was not held through its
-- synchronous WAL flush too. Now the lock is taken at session level and let go as soon as the bound
-- is read, inside this function: the bound means what it meant (every writer that took a seq at or
-- below it had committed when it was read), the read and the barrier go in one statement, and the
-- table's writers wait for the bound's five index probes only.
-- An error or a cancel between the lock and its release lets go of the lock before it is raised: a
-- session lock is not released by the transaction's end, and a pooled connection left holding it
-- would stop every writer of the table.
create or replace function glaze_table_seq(p_table bigint)
returns bigint language plpgsql volatile as $$
declare
  bound bigint;
begin
  perform pg_advisory_lock(1, p_table::int);
  begin
    bound := greatest(
      (select max(seq) from cells where table_id = p_table),
      (select max(seq) from chunks where table_id = p_table),
      (select max(seq) from runs where table_id = p_table),
      (select max(seq) from rows where table_id = p_table),
      (select max(seq) from table_changes where table_id = p_table),
      0);
  exception when others or query_canceled then
    perform pg_advisory_unlock(1, p_table::int);
    raise;
  end;
  perform pg_advisory_unlock(1, p_table::int);
  return bound;
end
$$;
