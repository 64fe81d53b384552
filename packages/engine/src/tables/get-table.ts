import type { Table } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';

/** A table as lists show it: the API's `Table`. */
export type TableSummary = Table;

/** The row count is the table's own, kept by its rows' triggers (migration 033): no rows are counted. */
export const tableSummaryFields = `t.id, t.name, t.created_at as "createdAt", t.updated_at as "updatedAt",
  t.row_count::int as "rowCount"`;

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
  return rows[0] && toTable(rows[0]);
}

/** Maps a row selected with `tableSummaryFields`: timestamps leave as ISO strings, as the API writes them. */
export function toTable(row: Record<string, unknown>): TableSummary {
  return {
    id: Number(row.id),
    name: String(row.name),
    rowCount: Number(row.rowCount),
    // never null: both columns are `not null`
    createdAt: isoTime(row.createdAt) as string,
    updatedAt: isoTime(row.updatedAt) as string,
  };
}
