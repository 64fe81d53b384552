-- How a process whose writes were refused (SQLSTATE 53100: the database's disk is full; 25006: it is
-- read-only) finds out that the database takes writes again (database-health.ts). `select 1`
-- answers on a full disk, and an insert into a table with free space in its pages succeeds there
-- too: a full disk refuses only a file that must grow. So the probe empties a table of its own
-- (TRUNCATE gives it a new, empty file) and inserts one row, which must add a block to that file;
-- then undoes both (the inner block's exception rolls back to its start). It raises what the write
-- raised: disk_full while the disk is full, read_only_sql_transaction on a read-only database.
create table glaze_write_probe (written boolean not null);

create function glaze_probe_write() returns void
language plpgsql as $$
begin
  begin
    truncate glaze_write_probe;
    insert into glaze_write_probe values (true);
    raise exception using errcode = 'GZ001', message = 'undo the write probe';
  exception when sqlstate 'GZ001' then
    null;
  end;
end
$$;
