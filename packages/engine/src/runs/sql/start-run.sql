-- Starts a run of one enrichment column over a scope, in one statement however many cells:
-- the run row, its chunks, cells set to queued, one graphile-worker job per chunk.
-- $1 column id, $2 scope kind (all|empty|errors|stale|rows), $3 row ids, $4 scope json,
-- $5 max attempts, $6 budget, $7 chunk size, $8 workspace id (null: any), $9 table id (null: any),
-- $10 true for an auto-run: no run is created over nothing (no row comes back).
with col as (
  select c.id, c.table_id, glaze_lock_table(c.table_id) as locked
  from columns c
  join tables t on t.id = c.table_id
  where c.id = $1 and c.kind = 'enrichment' and ($8::bigint is null or t.workspace_id = $8)
    and ($9::bigint is null or c.table_id = $9)
),
targets as (
  select r.id as row_id, cell.id as cell_id,
         (row_number() over (order by r.position, r.id) - 1) / $7::int as ordinal
  from col
  join rows r on r.table_id = col.table_id
  left join cells cell on cell.row_id = r.id and cell.column_id = col.id
  -- cells already queued belong to a live run; a second run leaves them alone
  where (cell.status is null or cell.status <> 'queued')
    and case $2::text
      when 'all' then true
      when 'empty' then cell.id is null or cell.value is null
      when 'errors' then cell.status = 'error'
      when 'stale' then cell.status = 'stale'
      when 'rows' then r.id = any($3::bigint[])
    end
),
run as (
  insert into runs (table_id, column_id, scope, total, max_attempts, budget, known_price, status, finished_at)
  select col.table_id, col.id, $4::jsonb, n.total, $5, $6,
         -- the column's earlier price per call, read before `requeued` clears the cells' cost
         -- (every part of one statement sees the same snapshot); only a run with a budget needs it
         case when $6::double precision is not null then (
           select sum(p.cost) / nullif(sum(p.tries), 0)
           from cells p where p.column_id = col.id and p.cost is not null and p.tries > 0
         ) end,
         case when n.total = 0 then 'done' else 'running' end,
         case when n.total = 0 then now() end
  from col, (select count(*)::int as total from targets) n
  where n.total > 0 or not $10::boolean
  returning id, table_id, column_id, total, status, seq
),
new_chunks as (
  insert into chunks (run_id, table_id, ordinal)
  select run.id, run.table_id, o.ordinal
  from run, (select distinct ordinal from targets) o
  order by o.ordinal
  returning id, run_id, ordinal, seq
),
-- existing cells are updated, missing ones inserted: two plain writes, cheaper than an upsert
requeued as (
  update cells c
  set status = 'queued', run_id = k.run_id, chunk_id = k.id, attempt = 0, tries = 0, error = null,
      cost = null, queued_at = now(), started_at = null, finished_at = null, seq = nextval('glaze_seq')
  from targets t
  join new_chunks k on k.ordinal = t.ordinal
  cross join col
  where t.cell_id is not null and c.column_id = col.id and c.row_id = t.row_id
  returning c.seq
),
inserted as (
  insert into cells (table_id, row_id, column_id, status, run_id, chunk_id, queued_at, seq)
  select run.table_id, t.row_id, run.column_id, 'queued', run.id, k.id, now(), nextval('glaze_seq')
  from targets t
  join new_chunks k on k.ordinal = t.ordinal
  cross join run
  -- no `order by`: targets comes out in row order already, and sorting 100,000 cells again cost
  -- more than the physical order it bought
  where t.cell_id is null
  returning seq
),
jobs as (
  select graphile_worker.add_jobs(array_agg(glaze_chunk_job(id, run_id) order by ordinal)) as job
  from new_chunks
  having count(*) > 0
),
notified as (
  select glaze_notify_table(run.table_id, greatest(
    run.seq, (select max(seq) from requeued), (select max(seq) from inserted), (select max(seq) from new_chunks)
  )::text)
  from run
)
select run.id, run.table_id as "tableId", run.column_id as "columnId", run.total, run.status,
       (select count(*) from jobs)::int as chunks,
       (select count(*) from notified)::int as notified
from run
