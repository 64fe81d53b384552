-- The change feed's read held the table's lock exclusively for the whole read: while it built up to
-- 2,000 changes' JSON (~100 ms on a loaded 2-core machine, 400 ms at worst) every flush of the table
-- waited for it, and a feed behind a 100,000-cell run reads back to back, so the run's writers got the
-- table between reads only (a watched run at 0.2-0.3 of its unwatched speed). The lock is only needed
-- to find a bound every writer below has committed: `glaze_table_seq()` (migration 004) takes it, reads
-- the table's newest seq and, for a feed behind its table, lets go at the end of its own short
-- statement (a feed that keeps up reads bound and changes in one statement: one round trip). Then this
-- function reads the changes in (p_after, p_upto] without the lock: each was committed before the
-- bound was read, so its snapshot sees them all, and a change made after the bound has a higher seq
-- and comes in the next read. A catch-up read up to the feed's position (already bounded) skips the
-- lock altogether.
-- Its cells are read without the detour through cell_states by key (see below).
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
      -- cell_states (migration 003) computed inline for the cells in range, not joined back to them by
      -- key: the view read by (column_id, row_id) per cell cost a second probe and heap fetch, and the
      -- distinct-on over both branches a sort of whole rows. Same answer (compared on a finished
      -- 100,000-cell run), 8,000 cells' JSON in 33-54 ms instead of 68-106 ms at load ~8.
      select coalesce(json_agg(x order by x.seq, x.id), '[]') from (
        select c.id, c.table_id, c.row_id, c.column_id,
               case when s.claimed then 'running' else c.status end as status,
               c.value, c.error,
               case when s.claimed then k.attempt else c.attempt end as attempt,
               c.tries, c.run_id, c.cost, c.meta,
               case when s.claimed then k.claimed_at else c.started_at end as started_at,
               c.finished_at, s.seq
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
        where s.seq > p_after and s.seq <= upto
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
