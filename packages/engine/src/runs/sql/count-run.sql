-- Counts the cells a run that is still expanding has yet to queue (the rows past its cursor in its
-- scope), so its total is known right after the start: total = cells queued + this count
-- (expand_unseen). The count is of the statement's snapshot, and so are the cells queued it adds it
-- to: an expansion batch that commits while the rows are counted (its cells already in the count)
-- moves them from unseen to queued, and does not count them twice. Before, a 300,000-row re-run on
-- 2 cores showed a total of 330,000 until its last batch made it exact. A run done expanding is left
-- alone. $1 run id.
with run as (
  select r.id, r.table_id, r.column_id, r.expand_position, r.expand_row_id,
         r.scope #>> '{}' as kind, r.total - r.expand_unseen as queued
  from runs r
  where r.id = $1 and r.expanding
),
counted as materialized (
  select run.id, run.queued, (
    select count(*)
    from rows r
    left join cells cell on cell.row_id = r.id and cell.column_id = run.column_id
    where r.table_id = run.table_id and (r.position, r.id) > (run.expand_position, run.expand_row_id)
      and glaze_run_target(run.kind, cell.id, cell.status, cell.value)
  )::int as n
  from run
),
-- the table's lock only once counted: held through the count, it would queue every flush behind the
-- feed reader that waits for it
lock as (
  select glaze_lock_table(run.table_id) as locked from run, counted
),
updated as (
  update runs r
  -- r is the run as it is now (a batch may have committed since the snapshot): its cells queued now
  -- plus those of the snapshot's total not queued yet
  set total = r.total - r.expand_unseen + greatest(0, c.queued + c.n - (r.total - r.expand_unseen)),
      expand_unseen = greatest(0, c.queued + c.n - (r.total - r.expand_unseen)),
      seq = nextval('glaze_seq')
  from counted c, lock
  where r.id = c.id and r.expanding and lock.locked
  returning r.table_id, r.total, r.seq
)
select updated.total, glaze_notify_table(updated.table_id, updated.seq::text) as notified
from updated
