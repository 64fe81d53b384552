-- Starts a run of one enrichment column over a scope, in one statement however many cells:
-- run row, cells set to queued, one graphile-worker job per chunk of cells.
-- $1 column id, $2 scope kind (all|empty|errors|rows), $3 row ids, $4 scope json,
-- $5 max attempts, $6 budget, $7 chunk size, $8 workspace id (null: any).
with col as (
  -- Writers to a table's cells hold this lock while they take seq values, so seq order is
  -- commit order and the change feed (seq > last) can never skip a change.
  select c.id, c.table_id, pg_advisory_xact_lock(1, c.table_id::int) is not null as locked
  from columns c
  join tables t on t.id = c.table_id
  where c.id = $1 and c.kind = 'enrichment' and ($8::bigint is null or t.workspace_id = $8)
),
targets as (
  select r.id as row_id, r.position
  from col
  join rows r on r.table_id = col.table_id
  left join cells cell on cell.row_id = r.id and cell.column_id = col.id
  -- cells already queued or running belong to a live run; a second run leaves them alone
  where (cell.status is null or cell.status not in ('queued', 'running'))
    and case $2::text
      when 'all' then true
      when 'empty' then cell.id is null or cell.value is null
      when 'errors' then cell.status = 'error'
      when 'rows' then r.id = any($3::bigint[])
    end
),
run as (
  insert into runs (table_id, column_id, scope, total, max_attempts, budget, status, finished_at)
  select col.table_id, col.id, $4::jsonb, n.total, $5, $6,
         case when n.total = 0 then 'done' else 'running' end,
         case when n.total = 0 then now() end
  from col, (select count(*)::int as total from targets) n
  returning id, table_id, column_id, total, status, seq
),
queued as (
  insert into cells as cell (table_id, row_id, column_id, status, run_id, attempt, queued_at, seq)
  select run.table_id, t.row_id, run.column_id, 'queued', run.id, 0, now(), nextval('glaze_seq')
  from (select * from targets order by position, row_id) t, run
  on conflict (row_id, column_id) do update
    set status = 'queued', run_id = excluded.run_id, attempt = 0, tries = 0, error = null, cost = null,
        lease_until = null, queued_at = now(), started_at = null, finished_at = null, seq = excluded.seq
  returning cell.id, cell.run_id, cell.seq
),
jobs as (
  select glaze_enqueue_chunks(array_agg(run_id order by seq), array_agg(id order by seq), $7::int) as chunks
  from queued
  having count(*) > 0
),
notified as (
  select pg_notify('glaze_table_' || run.table_id, greatest(run.seq, (select max(seq) from queued))::text)
  from run
)
select run.id, run.table_id as "tableId", run.column_id as "columnId", run.total, run.status,
       coalesce((select chunks from jobs), 0) as chunks,
       (select count(*) from notified)::int as notified
from run
