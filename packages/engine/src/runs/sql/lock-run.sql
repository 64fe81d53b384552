-- Locks a run's row before a statement that must see every cell queued so far (cancel-run.ts): a
-- batch of an expanding run holds this lock until it commits. The table's lock first, in the order
-- every writer takes them. $1 run id.
select glaze_lock_table(r.table_id) as locked
from runs r
where r.id = $1
for update of r
