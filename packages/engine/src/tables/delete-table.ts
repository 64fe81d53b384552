import type { Pool } from '@glaze/db';

/**
 * Deletes a table with its columns, rows, cells and runs; watchers are told so the stream can end.
 * Returns false when the workspace has no such table.
 */
export async function deleteTable(pool: Pool, tableId: number, workspaceId: number): Promise<boolean> {
  const { rows } = await pool.query(
    `with deleted as (delete from tables where id = $1 and workspace_id = $2 returning id)
     select id, glaze_notify_table(id, 'deleted') as notified from deleted`,
    [tableId, workspaceId],
  );
  return rows.length > 0;
}
