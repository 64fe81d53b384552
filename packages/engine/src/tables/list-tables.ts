import type { Pool } from '@glaze/db';
import { type TableSummary, tableSummaryFields, toTable } from './get-table';

/** A workspace's tables, oldest first. */
export async function listTables(pool: Pool, workspaceId: number): Promise<TableSummary[]> {
  const { rows } = await pool.query(
    `select ${tableSummaryFields} from tables t where t.workspace_id = $1 order by t.id`,
    [workspaceId],
  );
  return rows.map(toTable);
}
