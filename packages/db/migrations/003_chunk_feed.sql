-- How a cell looks to readers: a queued cell whose chunk a worker holds is `running`. A queued
-- cell's state follows its chunk (claimed, handed back after a lost lease), so it carries the newer
-- of its own seq and its chunk's: the change feed sees every such change.
create view cell_states as
select c.id, c.table_id, c.row_id, c.column_id,
       case when claimed then 'running' else c.status end as status,
       c.value, c.error,
       case when claimed then k.attempt else c.attempt end as attempt,
       c.tries, c.run_id, c.cost, c.meta,
       case when claimed then k.claimed_at else c.started_at end as started_at,
       c.finished_at,
       case when c.status = 'queued' and k.id is not null then greatest(c.seq, k.seq) else c.seq end as seq
from cells c
left join chunks k on k.id = c.chunk_id
cross join lateral (select c.status = 'queued' and k.status = 'running' as claimed) s;
