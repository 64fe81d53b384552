import type { Pool } from '@glaze/db';

/** A table as lists show it. */
export interface TableSummary {
  id: number;
  name: string;
  rowCount: number;
  createdAt: string;
  updatedAt: string;
}

export const tableSummaryFields = `t.id, t.name, t.created_at as "createdAt", t.updated_at as "updatedAt",
  (select count(*) from rows r where r.table_id = t.id)::int as "rowCount"`;

/** A table of this workspace, or undefined: another workspace's table looks exactly like a missing one. */
export async function getTable(
  pool: Pool,
  tableId: number,
  workspaceId: number,
): Promise<TableSummary | undefined> {
  const { rows } = await pool.query(
    `select ${tableSummaryFields} from tables t where t.id = $1 and t.workspace_id = $2`,
    [tableId, workspaceId],
  );
  return rows[0] as TableSummary | undefined;
}
