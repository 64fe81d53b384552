import type { Pool } from '@glaze/db';

/** Deletes a view (the rows it showed stay); false when the table has no such view in this workspace. */
export async function deleteView(
  pool: Pool,
  input: { workspaceId: number; tableId: number; viewId: number },
): Promise<boolean> {
  const { rowCount } = await pool.query(
    `delete from views v using tables t
     where v.id = $3 and v.table_id = $1 and t.id = v.table_id and t.workspace_id = $2`,
    [input.tableId, input.workspaceId, input.viewId],
  );
  return (rowCount ?? 0) > 0;
}
