-- The change feed's cells leave Postgres as the text the event stream sends, one compact JSON array
-- per cell (core's `feedCellFields`: seq, rowId, columnId, id, status, value, error, attempt, tries,
-- runId, cost, meta, startedAt, finishedAt), and the server passes that text to the sockets without
-- parsing it: it reads only the leading seq and row id of each. Before, a page of 8,000 cells was one
-- json_agg of row objects inside the read's json_build_object, parsed in Node, mapped (two date
-- parses a cell) and stringified again. Backend CPU for such a page (8,000 done cells, 10 reads each,
-- Postgres 15, load 6-9): json_agg of rows 56-62 ms alone, 108-144 ms inside the read's
-- json_build_object (measured, not explained); cells as arrays, joined with newlines and returned
-- beside the object, 21-27 ms.

-- One cell as the event stream sends it. A SQL function with one expression: the planner inlines it,
-- so it costs what the expression costs. Times in the API's form (ISO 8601, UTC, milliseconds, as
-- Node's toISOString writes them). No part of it can hold a raw newline (jsonb and to_json escape
-- them), so a page's cells can travel joined by newlines.
create function glaze_feed_cell(
  p_seq bigint, p_row bigint, p_column bigint, p_id bigint, p_status text, p_value jsonb, p_error text,
  p_attempt integer, p_tries integer, p_run bigint, p_cost float8, p_meta jsonb,
  p_started timestamptz, p_finished timestamptz
) returns text language sql stable parallel safe as $$
  select '[' || p_seq || ',' || p_row || ',' || p_column || ',' || p_id || ',' || to_json(p_status)
    || ',' || coalesce(p_value::text, 'null') || ',' || coalesce(to_json(p_error)::text, 'null')
    || ',' || p_attempt || ',' || p_tries || ',' || coalesce(p_run::text, 'null')
    || ',' || coalesce(p_cost::text, 'null') || ',' || coalesce(p_meta::text, 'null')
    || ',' || coalesce('"' || to_char(p_started at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ',' || coalesce('"' || to_char(p_finished at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
    || ']'
$$;

-- glaze_table_feed_upto (migration 028) with its cells as `glaze_feed_cell` texts in seq order, joined
-- by newlines, in a column of their own (`cells`); `feed` holds the rest as before.
drop function glaze_table_feed_upto(bigint, bigint, integer, bigint);

create function glaze_table_feed_page(
  p_table bigint, p_after bigint, p_limit integer, p_upto bigint, out feed json, out cells text
) language plpgsql volatile as $$
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
             c.finished_at),
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
