-- `stale`: a cell whose result was computed from inputs that have since changed (a CSV upsert by
-- key changed the row). The value stays, shown with a clock mark; the run scope `stale` re-runs
-- exactly these cells.
alter table cells drop constraint cells_status_check;
alter table cells add constraint cells_status_check
  check (status in ('idle', 'queued', 'done', 'error', 'skipped', 'cancelled', 'stale'));
