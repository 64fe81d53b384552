-- Server-side filter, sort and search over a table's rows (issue 12). The functions below are the
-- expressions the query compiler writes and the on-demand indexes are built on: an index serves a
-- query only when both say exactly the same expression, so each is defined once, here.

-- Accent-insensitive search and trigram indexes where the server has them (the embedded Postgres
-- and Debian's postgresql-contrib do; both extensions are "trusted", so the database owner may
-- create them). Without them search still works, case-insensitively, by a scan.
do $$
begin
  begin
    create extension if not exists unaccent;
  exception when others then
    raise notice 'unaccent unavailable (%): search folds case only', sqlerrm;
  end;
  begin
    create extension if not exists pg_trgm;
  exception when others then
    raise notice 'pg_trgm unavailable (%): contains and search scan the table', sqlerrm;
  end;
end
$$;

-- Case (and, with unaccent, accent) folding. Immutable so an index can hold it: unaccent() itself is
-- only stable because it looks its dictionary up by name; naming the dictionary's schema fixes it.
do $$
declare
  schema_name text := (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
                       where e.extname = 'unaccent');
begin
  if schema_name is null then
    execute $f$create function glaze_fold(v text) returns text language sql immutable parallel safe
      as 'select lower(v)'$f$;
  else
    execute format($f$create function glaze_fold(v text) returns text language sql immutable parallel safe
      as $b$select lower(%1$I.unaccent(%2$L::regdictionary, v))$b$ $f$, schema_name, schema_name || '.unaccent');
  end if;
end
$$;

-- Every input value of a row, folded: what search looks in. The values as a JSON array's text
-- (`["José García 1", "user1@example.com"]`: no column ids to match, quotes escaped) cost ~11 µs a row
-- to fold; a plpgsql loop over jsonb_each_text cost ~42 µs, and a search walks or rechecks rows by it.
-- glaze_fold is named with its schema: Postgres 17 runs index expressions (CREATE INDEX, ANALYZE)
-- with search_path = pg_catalog, where an unqualified glaze_fold does not exist.
do $$
begin
  execute format($f$create function glaze_search_text(data jsonb) returns text language sql immutable parallel safe
    as $b$select %I.glaze_fold(jsonb_path_query_array(data, '$.*')::text)$b$ $f$, current_schema());
end
$$;

-- A value read as a number, or null: '42', ' 3.5 ', '-1e3' are numbers; 'n/a', '' and '1e99999' are not.
create function glaze_number(v text) returns numeric language sql immutable parallel safe as $$
  select case when v ~ '^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d{1,3})?\s*$' then trim(v)::numeric end
$$;

-- A value read as an instant, or null: ISO 8601 dates and times; without an offset they are UTC (so the
-- result never depends on the session's time zone, which is what makes it immutable).
-- parallel restricted: its exception block starts a subtransaction, which parallel workers cannot
create function glaze_date(v text) returns timestamptz language plpgsql immutable parallel restricted as $$
begin
  if v is null or v !~ '^\s*\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?\s*(Z|[+-]\d\d(:?\d\d)?)?\s*$' then
    return null;
  end if;
  begin
    if v ~ '(Z|[+-]\d\d(:?\d\d)?)\s*$' and v ~ '[T ]\d\d:' then
      return trim(v)::timestamptz;
    end if;
    return trim(v)::timestamp at time zone 'UTC';
  exception when others then
    return null; -- 2024-02-30 and the like
  end;
end
$$;

-- Indexes made on demand for a query (a sort key, a filtered value, search): one row each, so a
-- second request does not build it twice and the indexes of deleted tables and columns can be found.
create table query_indexes (
  name text primary key,
  table_id bigint not null,
  column_id bigint,
  definition text not null,
  status text not null default 'building' check (status in ('building', 'ready', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  ready_at timestamptz
);
create index query_indexes_table on query_indexes (table_id);
