import type { Pool } from '@glaze/db';

/** A table's id and name: what a route needs to act on it. */
export interface TableRef {
  id: number;
  name: string;
}

/**
 * A table of this workspace, or undefined (another workspace's table looks exactly like a missing
 * one): the check every table route makes first, one primary-key look-up. Not `getTable`, whose
 * summary counts the table's rows — ~6 ms at 120,000 rows on every request, and 1,000 event streams
 * opening at once queued 4–6 s behind those counts.
 */
export async function findTable(
  pool: Pool,
  tableId: number,
  workspaceId: number,
): Promise<TableRef | undefined> {
  const { rows } = await pool.query(
    'select t.id, t.name from tables t where t.id = $1 and t.workspace_id = $2',
    [tableId, workspaceId],
  );
  return rows[0] && { id: Number(rows[0].id), name: String(rows[0].name) };
}
