import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { recordChange } from '../feed/record-change';
import { type TableSummary, tableSummaryFields, toTable } from './get-table';
import { withTableLock } from './with-table-lock';

/** Renames a table of the workspace; undefined when there is no such table. Watchers get a `schema` change. */
export async function renameTable(
  pool: Pool,
  input: { tableId: number; workspaceId: number; name: string },
): Promise<TableSummary | undefined> {
  const name = input.name.trim();
  if (name === '') throw new AppError('validation_failed', 'must not be empty', 'name');
  return withTableLock(pool, input.tableId, async (client) => {
    const { rows } = await client.query(
      `update tables t set name = $3, updated_at = now() where t.id = $1 and t.workspace_id = $2
       returning ${tableSummaryFields}`,
      [input.tableId, input.workspaceId, name],
    );
    if (rows[0]) await recordChange(client, input.tableId, 'schema');
    return rows[0] && toTable(rows[0]);
  });
}
