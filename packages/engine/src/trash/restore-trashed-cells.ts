import type { PoolClient } from '@glaze/db';
import { cellTrashFields } from './cell-trash-fields';

/**
 * Moves back the trashed cells of the restored rows (or column) whose row and column are both live
 * again, each with a new seq so watchers repaint it. A cell that was queued comes back idle: its run
 * stopped counting it when it was deleted. Call it in the transaction that restored them. Naming the
 * rows or column keeps a restore of 2 rows from reading a day of trashed cells (a deleted column's
 * million) through the `(table_id, row_id)` index or the `(column_id, row_id)` key.
 */
export async function restoreTrashedCells(
  client: PoolClient,
  tableId: number,
  restored: { rowIds: readonly number[] } | { columnId: number },
): Promise<number> {
  const { rows } = await client.query(
    `with lock as (select glaze_lock_table($1) as locked),
     back as (
       delete from cell_trash t
       where t.table_id = $1
         and ($2::bigint[] is null or t.row_id = any($2::bigint[]))
         and ($3::bigint is null or t.column_id = $3::bigint)
         and exists (select 1 from rows r where r.id = t.row_id and r.table_id = $1)
         and exists (select 1 from columns c where c.id = t.column_id and c.table_id = $1)
       returning t.*
     ),
     inserted as (
       insert into cells (${cellTrashFields}, seq) overriding system value
       select table_id, row_id, column_id, id, case when status = 'queued' then 'idle' else status end,
              value, error, attempt, tries, cost, meta, queued_at, started_at, finished_at, nextval('glaze_seq')
       from back, lock where lock.locked
       on conflict do nothing
       returning seq
     ),
     notified as (select glaze_notify_table($1, max(seq)::text) from inserted having count(*) > 0)
     select (select count(*) from inserted)::int as restored, (select count(*) from notified) as notified`,
    [
      tableId,
      'rowIds' in restored ? restored.rowIds : null,
      'columnId' in restored ? restored.columnId : null,
    ],
  );
  return rows[0].restored as number;
}
