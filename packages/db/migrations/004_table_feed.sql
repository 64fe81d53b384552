-- The realtime feed of one table in one round trip: cell states (a queued cell of a claimed chunk
-- reads as running), runs, rows and table changes with p_after < seq <= upto, where upto cuts the
-- read at p_limit changes (and at p_upto when given). Writers hold the table's advisory lock SHARED
-- while they take seq values; this takes it EXCLUSIVELY first, and plpgsql statements after it see a
-- fresh snapshot, so every seq up to what it returns is committed: a reader never skips a change.
create function glaze_table_feed(p_table bigint, p_after bigint, p_limit integer, p_upto bigint)
returns json language plpgsql volatile as $$
declare
  upto bigint;
  found_count integer;
begin
  perform pg_advisory_xact_lock(1, p_table::int);
  select max(seq), count(*) into upto, found_count from (
    (select seq from cells where table_id = p_table and seq > p_after and (p_upto is null or seq <= p_upto) order by seq limit p_limit)
    union all
    (select seq from chunks where table_id = p_table and seq > p_after and (p_upto is null or seq <= p_upto) order by seq limit p_limit)
    union all
    (select seq from runs where table_id = p_table and seq > p_after and (p_upto is null or seq <= p_upto) order by seq limit p_limit)
    union all
    (select seq from rows where table_id = p_table and seq > p_after and (p_upto is null or seq <= p_upto) order by seq limit p_limit)
    union all
    (select seq from table_changes where table_id = p_table and seq > p_after and (p_upto is null or seq <= p_upto) order by seq limit p_limit)
    order by seq limit p_limit
  ) s;
  -- Fewer than p_limit changes: everything up to p_upto (or the newest change) is in this read.
  if found_count < p_limit then
    upto := greatest(coalesce(upto, p_after), coalesce(p_upto, p_after));
  end if;
  return json_build_object(
    'tableExists', exists (select 1 from tables where id = p_table),
    'more', found_count >= p_limit,
    'upto', upto,
    'cells', (
      select coalesce(json_agg(x order by x.seq, x.id), '[]') from (
        select distinct on (v.id) v.* from (
          select v.* from cell_states v
          where v.table_id = p_table
            and v.id in (select id from cells where table_id = p_table and seq > p_after and seq <= upto)
          union all
          select v.* from chunks k
          join cells c on c.chunk_id = k.id and c.status = 'queued'
          join cell_states v on v.id = c.id
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

-- Where a new watcher of a table starts: the newest committed seq of its changes (under the same
-- exclusive lock, so no writer is mid-way below it).
create function glaze_table_seq(p_table bigint)
returns bigint language plpgsql volatile as $$
begin
  perform pg_advisory_xact_lock(1, p_table::int);
  return greatest(
    (select max(seq) from cells where table_id = p_table),
    (select max(seq) from chunks where table_id = p_table),
    (select max(seq) from runs where table_id = p_table),
    (select max(seq) from rows where table_id = p_table),
    (select max(seq) from table_changes where table_id = p_table),
    0);
end
$$;
