-- The change feed's read held the table's lock exclusively for the whole read: while it built up to
-- 2,000 changes' JSON (~100 ms on a loaded 2-core machine, 400 ms at worst) every flush of the table
-- waited for it, and a feed behind a 100,000-cell run reads back to back, so the run's writers got the
-- table between reads only (a watched run at 0.2-0.3 of its unwatched speed). The lock is only needed
-- to find a bound every writer below has committed: `glaze_table_seq()` (migration 004) takes it, reads
-- the table's newest seq and lets go at the end of its own short statement. Then this function reads
-- the changes in (p_after, p_upto] without the lock: each was committed before the bound was read, so
-- its snapshot sees them all, and a change made after the bound has a higher seq and comes in the next
-- read. A catch-up read up to the feed's position (already bounded) skips the lock altogether.
-- glaze_table_feed(), the lock and the read in one statement, is dropped: nothing calls it any more.
drop function glaze_table_feed(bigint, bigint, integer, bigint);

create function glaze_table_feed_upto(p_table bigint, p_after bigint, p_limit integer, p_upto bigint)
returns json language plpgsql volatile as $$
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
  return json_build_object(
    'tableExists', exists (select 1 from tables where id = p_table),
    'more', found_count >= p_limit,
    'upto', upto,
    'cells', (
      select coalesce(json_agg(x order by x.seq, x.id), '[]') from (
        select distinct on (v.id) v.* from (
          select v.* from cells c
          join cell_states v on v.column_id = c.column_id and v.row_id = c.row_id
          where c.table_id = p_table and c.seq > p_after and c.seq <= upto
          union all
          select v.* from chunks k
          join cells c on c.chunk_id = k.id and c.status = 'queued' and c.seq < k.seq
          join cell_states v on v.column_id = c.column_id and v.row_id = c.row_id
          -- a chunk claimed or handed back changes how its queued cells read
          where k.table_id = p_table and k.seq > p_after and k.seq <= upto
        ) v
        -- a cell that changed again after `upto` comes in the next read, with its newer seq
        where v.seq > p_after and v.seq <= upto
        order by v.id, v.seq desc
      ) x
    ),
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
