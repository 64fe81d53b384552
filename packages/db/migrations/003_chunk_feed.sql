-- How a cell looks to readers: a queued cell whose chunk a worker holds is `running`.
create view cell_states as
select c.id, c.table_id, c.row_id, c.column_id,
       case when claimed then 'running' else c.status end as status,
       c.value, c.error,
       case when claimed then k.attempt else c.attempt end as attempt,
       c.tries, c.run_id, c.cost, c.meta,
       case when claimed then k.claimed_at else c.started_at end as started_at,
       c.finished_at,
       case when claimed then greatest(c.seq, k.seq) else c.seq end as seq
from cells c
left join chunks k on k.id = c.chunk_id
cross join lateral (select c.status = 'queued' and k.status = 'running' as claimed) s;

-- The change feed for one table: every cell change with seq > after, in seq order, in whole seq
-- groups of at most about `max_rows` rows. Writers of a table's cells hold a SHARED advisory lock
-- (1, table) while they take seq values; this takes it EXCLUSIVELY first, so no writer is mid-way and
-- every seq up to what it returns is committed: a reader can never skip a change.
create function glaze_cell_changes(p_table bigint, p_after bigint, p_max_rows integer)
returns setof cell_states language plpgsql volatile as $$
declare
  upto bigint;
begin
  perform pg_advisory_xact_lock(1, p_table::int);
  -- a new snapshot from here on (volatile function, read committed): every writer before us is visible
  select max(seq) into upto from (
    (select seq from cells where table_id = p_table and seq > p_after order by seq limit p_max_rows)
    union all
    (select seq from chunks where table_id = p_table and seq > p_after and status = 'running' order by seq limit p_max_rows)
    order by seq limit p_max_rows
  ) s;
  if upto is null then
    return;
  end if;
  return query
    select distinct on (x.seq, x.id) x.* from (
      select v.* from cell_states v
      where v.table_id = p_table and v.id in (select id from cells where table_id = p_table and seq > p_after and seq <= upto)
      union all
      select v.* from chunks k
      join cells c on c.chunk_id = k.id and c.status = 'queued'
      join cell_states v on v.id = c.id
      where k.table_id = p_table and k.seq > p_after and k.seq <= upto and k.status = 'running'
    ) x
    -- a cell that changed again after `upto` comes in the next read, with its newer seq
    where x.seq > p_after and x.seq <= upto
    order by x.seq, x.id;
end
$$;
