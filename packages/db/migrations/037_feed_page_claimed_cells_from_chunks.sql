-- A feed page's cells of chunks claimed or handed back in its range (the second branch of its union,
-- migration 031) are found from those chunks, one probe of `cells_queued` a chunk, and only for chunks
-- that were ever claimed. Written as a join, the planner, with statistics from before a re-run queued
-- the table's cells, walked the whole of `cells_queued` and kept the few under the page's position:
-- 100,000 cells queued, 7,240 buffers and 21.7 ms of a 45 ms page of 8,000 cells (0.6 ms from the
-- chunks). From the chunks, the chunks the start created in the page's range were probed too, each
-- for its 500 cells (all past the page's position): a page of a re-run's first 2,000 changes read
-- 19,500 index entries to find none. `offset 0` keeps the subquery from being pulled up into a join
-- the planner may turn round.

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
    -- from the chunks in range to their queued cells, one probe of cells_queued a chunk (migration 037)
    cross join lateral (
      select c.* from cells c
      where c.chunk_id = k.id and c.status = 'queued' and c.seq < k.seq and c.seq <= p_after
      offset 0
    ) c
    -- a chunk never claimed (attempt 0: queued by the start or an expansion in this range) has cells
    -- that read queued, as their own texts say: nothing to look for
    where k.table_id = p_table and k.seq > p_after and k.seq <= upto and k.attempt > 0
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
