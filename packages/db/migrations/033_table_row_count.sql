-- A table's row count is kept on the table, exact, by the statements that add and remove its rows.
-- `GET /tables/:id` and `GET /tables` counted the rows on every request: at a million rows 100 ms
-- (vacuumed) to 300 ms (just imported) a table on 2 cores, for every table of the list, and the web
-- app reads the table again at most every 300 ms while rows arrive (an import watched by ten tabs
-- counted a million rows thirty times a second).
--
-- Rows' statement triggers (migration 027) keep it: an insert adds its rows per table, a delete takes
-- them off. The insert's check of its tables becomes the count's update: the update locks each table
-- row (FOR NO KEY UPDATE, which a table's delete waits for as it did for the check's FOR KEY SHARE)
-- and a table it finds no row of does not exist, as before (SQLSTATE 23503). Two statements that add
-- rows to one table now wait for each other's commit at this update (each holds the row only from its
-- trigger to its commit); tables are updated in id order, so two multi-table statements cannot
-- deadlock here. The count and the rows are read in one snapshot: they always agree.
alter table tables add column row_count bigint not null default 0;

update tables t set row_count = n.count
from (select table_id, count(*) as count from rows group by table_id) n
where t.id = n.table_id;

create or replace function glaze_check_row_tables() returns trigger language plpgsql as $$
declare
  added record;
  missing bigint;
begin
  -- one pass over the new rows (a million at an import), then one update per distinct table
  for added in select table_id, count(*) as n from new_rows group by table_id order by table_id loop
    update tables set row_count = row_count + added.n where id = added.table_id;
    if not found then
      missing := added.table_id;
      exit;
    end if;
  end loop;
  if missing is not null then
    raise foreign_key_violation using
      message = format('rows.table_id: table %s does not exist', missing),
      column = 'table_id', table = 'rows';
  end if;
  return null;
end
$$;

create function glaze_count_deleted_rows() returns trigger language plpgsql as $$
declare
  removed record;
begin
  -- a table being deleted has no row left to update: its rows go after it (tables_delete_rows)
  for removed in select table_id, count(*) as n from old_rows group by table_id order by table_id loop
    update tables set row_count = row_count - removed.n where id = removed.table_id;
  end loop;
  return null;
end
$$;
create trigger rows_count_deleted after delete on rows
  referencing old table as old_rows for each statement execute function glaze_count_deleted_rows();

-- A row moved to another table (never done by Glaze, allowed by migration 027) moves its count.
create or replace function glaze_check_row_table_moved() returns trigger language plpgsql as $$
begin
  update tables set row_count = row_count + 1 where id = new.table_id;
  if not found then
    raise foreign_key_violation using
      message = format('rows.table_id: table %s does not exist', new.table_id),
      column = 'table_id', table = 'rows';
  end if;
  update tables set row_count = row_count - 1 where id = old.table_id;
  return new;
end
$$;
