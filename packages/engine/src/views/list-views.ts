import type { View } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { toView, viewFields } from './get-view';

/** The views of a table of this workspace, by name (none for another workspace's table). */
export async function listViews(pool: Pool, tableId: number, workspaceId: number): Promise<View[]> {
  const { rows } = await pool.query(
    `select ${viewFields} from views v join tables t on t.id = v.table_id
     where v.table_id = $1 and t.workspace_id = $2 order by v.name, v.id`,
    [tableId, workspaceId],
  );
  return rows.map(toView);
}
