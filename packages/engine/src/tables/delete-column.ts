import type { Pool } from '@glaze/db';
import { recordChange } from '../feed/record-change';
import { withTableLock } from './with-table-lock';

/**
 * Deletes a column; its cells and runs go with it (a worker holding a chunk of such a run finds the
 * run gone and drops the chunk). Returns false when the table has no such column.
 */
export async function deleteColumn(pool: Pool, tableId: number, columnId: number): Promise<boolean> {
  return withTableLock(pool, tableId, async (client) => {
    const { rowCount } = await client.query('delete from columns where id = $1 and table_id = $2', [
      columnId,
      tableId,
    ]);
    if (!rowCount) return false;
    await recordChange(client, tableId, 'schema');
    return true;
  });
}
