-- The CSV export's header (issue 12): each enrichment column exports as the `NAME` / `NAME.a.b`
-- fields its done values fill. Finding them at export time walked every done cell's JSON: ~3.3 s at
-- 100,000 rows, more than 21 s at 1M, before the first row was written. Here the paths are recorded
-- as values are written, so the header is one index read of a few rows.
--
-- One row per (column, path): '' for a scalar, '.a.b' for an object's leaf, recorded when a done
-- cell first holds a non-empty value there (not null, not "", not an object). `first_row` and `ord`
-- keep the header's order (the first row by id holding the path, then jsonb's key order), as the
-- walk at export time gave it. A path stays once seen, even when the values holding it change or
-- go: an export may show an empty column there, never miss one.
--
-- Recorded by the worker for the results it writes (engine csv/record-value-paths.ts: it remembers
-- the paths it recorded, so a run writes its column's few paths once, not a walk per flush), and by a
-- trigger for cells inserted with values by anything else (bulk SQL, a restore from the trash). A
-- trigger on updates too — every flush — cost the engine 17–20 % of its throughput (100,000 and
-- 1,000,000 mock cells, same machine, same hour: 16,228 vs 19,633 and 17,858 vs 22,484 cells/s).
create table column_value_paths (
  -- No foreign key: cells have none either, and a flush racing a column's deletion must not fail on
  -- it. A deleted column's paths go with it (trigger below), as its cells do (migration 001).
  column_id bigint not null,
  path text not null,
  first_row bigint not null,
  ord bigint[] not null,
  primary key (column_id, path)
);

-- The paths `flattenValue` turns into non-empty fields of the done cells a statement wrote, each with
-- the first row (by id) and the smallest key order holding it. The same walk as the old export header
-- query, over the statement's new cells only.
create function glaze_record_value_paths() returns trigger language plpgsql as $$
begin
  -- In (column, path) order, so two flushes adding the same new paths take their locks in one order.
  insert into column_value_paths as p (column_id, path, first_row, ord)
  with recursive walk (column_id, first_row, path, ord, value) as (
    select n.column_id, n.row_id, ''::text, array[]::bigint[], n.value
    from new_cells n
    where n.status = 'done' and n.value is not null
    union all
    select w.column_id, w.first_row, w.path || '.' || e.key, w.ord || e.ord, e.value
    from walk w
    cross join lateral jsonb_each(w.value) with ordinality as e (key, value, ord)
    where jsonb_typeof(w.value) = 'object'
  )
  select column_id, path, min(first_row), min(ord)
  from walk
  where jsonb_typeof(value) not in ('object', 'null') and value <> '""'::jsonb
  group by column_id, path
  order by column_id, path
  on conflict (column_id, path) do update
    set first_row = least(p.first_row, excluded.first_row), ord = least(p.ord, excluded.ord)
    where excluded.first_row < p.first_row or excluded.ord < p.ord;
  return null;
end
$$;

create trigger cells_value_paths_insert after insert on cells
  referencing new table as new_cells for each statement execute function glaze_record_value_paths();

create function glaze_delete_value_paths() returns trigger language plpgsql as $$
begin
  delete from column_value_paths p using old_columns o where p.column_id = o.id;
  return null;
end
$$;
create trigger columns_delete_value_paths after delete on columns
  referencing old table as old_columns for each statement execute function glaze_delete_value_paths();

-- The values already written: the old header query, once.
insert into column_value_paths (column_id, path, first_row, ord)
with recursive walk (column_id, first_row, path, ord, value) as (
  select c.column_id, c.row_id, ''::text, array[]::bigint[], c.value
  from cells c
  where c.status = 'done' and c.value is not null
  union all
  select w.column_id, w.first_row, w.path || '.' || e.key, w.ord || e.ord, e.value
  from walk w
  cross join lateral jsonb_each(w.value) with ordinality as e (key, value, ord)
  where jsonb_typeof(w.value) = 'object'
)
select column_id, path, min(first_row), min(ord)
from walk
where jsonb_typeof(value) not in ('object', 'null') and value <> '""'::jsonb
group by column_id, path;
