-- The planner's estimate of "this column's cells in this status" as one joint figure, not the
-- product of two independent ones. `cells` holds every table's cells; a filter on a status (`status =
-- 'error'` for one column) was estimated as (share of all cells in that column) × (share of all
-- cells in that status). Beside a million-row table whose three million cells are all `done`, a
-- column with 20,000 errors among its million cells was estimated at ~3,700 (an error share taken
-- over all four million cells): the planner then read all 20,000 errors' rows and sorted them (84 ms
-- with the rows cached, 500-720 ms without) instead of walking the table in order and stopping at the
-- page's 100th match (10 ms). With the joint most-common-values list the estimate is the column's own.
create statistics if not exists cells_column_status (mcv) on column_id, status from cells;
analyze cells;
