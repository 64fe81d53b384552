-- Values over 64 KB of JSON (core's `largeValueBytes`) are left out of listings: an `http` column
-- reading web pages answers megabytes a cell, and a feed page of 400 cells of 3 MB was one text of
-- 1.2 GB, past Postgres's 1 GB: every read of the page failed with `out of memory` after ~18 s of a
-- backend's CPU, retried every second, and the table's viewers got nothing more. A row page of 100
-- such rows was 300 MB of JSON (5.6 s). Listings now carry the value's size instead (the cell's
-- `largeValueBytes`, with `value` null) and GET /tables/{id}/cells/{cellId} returns the value whole.

-- The bytes of JSON of a value over 65,536, else null. `pg_column_size` reads the stored size
-- without fetching a TOASTed value, so a value stored in at most 256 bytes (an email, a name, a
-- small object: most cells) costs nothing more; a larger one is turned into text to be
-- measured. The stored size alone cannot tell: a compressed value may expand ~90 times with pglz
-- (3 MB of one repeated letter is stored in 34 KB, 64 KB of it in ~750 bytes) and ~255 with lz4,
-- so 256 bytes stored is at most ~64 KB. A 3 MB value costs ~4 ms each time it is turned into text.
create function glaze_large_value_bytes(p_value jsonb) returns integer
language sql stable parallel safe as $$
  select case when pg_column_size(p_value) > 256 and octet_length(p_value::text) > 65536
              then octet_length(p_value::text) end
$$;
-- One expression, no subquery, so the planner inlines it: called as a function (a subquery in its
-- body stops the inlining) a page of 8,000 small cells took 72.5 ms against 45.2 before this
-- migration; inlined, 48.5. Callers measure a cell once (a lateral `offset 0`), which leaves a
-- large value turned into text twice (the test, then the size) and a mid-sized one once.

-- glaze_feed_cell (migration 031) with a 15th field, `largeValueBytes` (p_large: the caller's
-- glaze_large_value_bytes of the value, measured once), and the value left out (null) when it is set.
drop function glaze_feed_cell(bigint, bigint, bigint, bigint, text, jsonb, text, integer, integer, bigint,
  float8, jsonb, timestamptz, timestamptz);

create function glaze_feed_cell(
  p_seq bigint, p_row bigint, p_column bigint, p_id bigint, p_status text, p_value jsonb, p_error text,
  p_attempt integer, p_tries integer, p_run bigint, p_cost float8, p_meta jsonb,
  p_started timestamptz, p_finished timestamptz, p_large integer
) returns text language sql stable parallel safe as $$
  select '[' || p_seq || ',' || p_row || ',' || p_column || ',' || p_id || ',' || to_json(p_status)
    || ',' || case when p_large is null then coalesce(p_value::text, 'null') else 'null' end
    || ',' || coalesce(to_json(p_error)::text, 'null')
    || ',' || p_attempt || ',' || p_tries || ',' || coalesce(p_run::text, 'null')
    || ',' || coalesce(p_cost::text, 'null') || ',' || coalesce(p_meta::text, 'null')
    || ',' || coalesce('"' || to_char(p_started at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',' || coalesce('"' || to_char(p_finished at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',' || coalesce(p_large::text, 'null')
    || ']'
$$;

-- glaze_table_feed_page (migration 031) passing each cell's measured size.
create or replace function glaze_table_feed_page(
  p_table bigint, p_after bigint, p_limit integer, p_upto bigint, out feed json, out cells text
) language plpgsql volatile
-- migration 034, repeated: a `create or replace` drops a setting it does not name
set enable_bitmapscan = off as $$
declare
  upto bigint;
  found_count integer;
begin
  select max(seq), count(*) into upto, found_count from (
    (select seq from cells where table_id = p_table and seq > p_after and seq <= p_upto order by seq limit p_limit)
    union all
    (select seq from chunks where table_id = p_table and seq > p_after and seq <= p_upto order by seq limit p_limit)
    union all
    (select seq from runs where table_id = p_table and seq > p_after and seq <= p_upto order by seq limit p_limit)
    union all
    (select seq from rows where table_id = p_table and seq > p_after and seq <= p_upto order by seq limit p_limit)
    union all
    (select seq from table_changes where table_id = p_table and seq > p_after and seq <= p_upto order by seq limit p_limit)
    order by seq limit p_limit
  ) s;
  -- Fewer than p_limit changes: everything up to p_upto is in this read.
  if found_count < p_limit then
    upto := greatest(coalesce(upto, p_after), p_upto);
  end if;
  -- cell_states (migration 003) computed inline for the cells in range (see migration 028)
  select coalesce(string_agg(
           glaze_feed_cell(s.seq, c.row_id, c.column_id, c.id,
             case when s.claimed then 'running' else c.status end,
             c.value, c.error,
             case when s.claimed then k.attempt else c.attempt end,
             c.tries, c.run_id, c.cost, c.meta,
             case when s.claimed then k.claimed_at else c.started_at end,
             c.finished_at, l.bytes),
           E'\n' order by s.seq, c.id), '')
  into cells
  from (
    select c.* from cells c where c.table_id = p_table and c.seq > p_after and c.seq <= upto
    union all
    -- a chunk claimed or handed back changes how its queued cells read; those written after
    -- p_after are in the branch above already, so each cell comes once
    select c.* from chunks k
    join cells c on c.chunk_id = k.id and c.status = 'queued' and c.seq < k.seq and c.seq <= p_after
    where k.table_id = p_table and k.seq > p_after and k.seq <= upto
  ) c
  left join chunks k on k.id = c.chunk_id
  cross join lateral (
    select c.status = 'queued' and k.status = 'running' as claimed,
           case when c.status = 'queued' and k.id is not null then greatest(c.seq, k.seq) else c.seq end as seq
  ) s
  -- measured once a cell (`offset 0` keeps it from being inlined into each use)
  cross join lateral (select glaze_large_value_bytes(c.value) as bytes offset 0) l
  -- a cell that changed again after `upto` comes in the next read, with its newer seq
  where s.seq > p_after and s.seq <= upto;
  feed := json_build_object(
    'tableExists', exists (select 1 from tables where id = p_table),
    'more', found_count >= p_limit,
    'upto', upto,
    'runs', (
      select coalesce(json_agg(r order by r.seq), '[]') from (
        select id, table_id, column_id, status, total, done_count, error_count, skipped_count, cancelled_count,
               cost, budget, cancel_reason, created_at, finished_at, seq
        from runs where table_id = p_table and seq > p_after and seq <= upto
      ) r
    ),
    'rows', (
      select coalesce(json_agg(w order by w.seq), '[]') from (
        select id, position, data, seq from rows where table_id = p_table and seq > p_after and seq <= upto
      ) w
    ),
    'changes', (
      select coalesce(json_agg(t order by t.seq), '[]') from (
        select seq, kind, ids from table_changes where table_id = p_table and seq > p_after and seq <= upto
      ) t
    )
  );
end
$$;
