/**
 * The columns a cell keeps in `cell_trash` (migration 024), in the order both sides list them: a
 * delete copies them from `cells`, a restore copies them back. Run and chunk are not kept: a cell
 * restored after its run moved on must not be claimed by it.
 */
export const cellTrashFields =
  'table_id, row_id, column_id, id, status, value, error, attempt, tries, cost, meta, queued_at, started_at, finished_at';
