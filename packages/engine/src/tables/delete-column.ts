import type { Pool } from '@glaze/db';
import { recordChange } from '../feed/record-change';
import { cellTrashFields } from '../trash/cell-trash-fields';
import { emptyOldTrash } from '../trash/empty-old-trash';
import { withTableLock } from './with-table-lock';

/**
 * Deletes a column: it and its cells move to the trash (migration 024), where `restoreColumn` finds
 * them for 24 hours; its runs go (a worker holding a chunk of such a run finds the run gone and drops
 * the chunk). Returns false when the table has no such column.
 */
export async function deleteColumn(pool: Pool, tableId: number, columnId: number): Promise<boolean> {
  return withTableLock(pool, tableId, async (client) => {
    await emptyOldTrash(client, tableId);
    // Every CTE reads the snapshot from before the delete: the column's cells are still there to copy.
    const { rows } = await client.query(
      `with gone as (delete from columns where id = $1 and table_id = $2 returning *),
       trashed as (
         insert into column_trash (id, table_id, name, kind, provider, config, position, created_at, updated_at)
         select id, table_id, name, kind, provider, config, position, created_at, updated_at from gone
         on conflict (id) do nothing
       ),
       trashed_cells as (
         insert into cell_trash (${cellTrashFields})
         select ${cellTrashFields} from cells c where c.column_id in (select id from gone)
       )
       select count(*)::int as deleted from gone`,
      [columnId, tableId],
    );
    if (rows[0].deleted === 0) return false;
    await recordChange(client, tableId, 'schema');
    return true;
  });
}
