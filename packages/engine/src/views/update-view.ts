import type { View } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { checkView, duplicateName } from './check-view';
import { toView, viewFields } from './get-view';

/**
 * Renames a view, replaces its query or its hidden columns (what is not given stays); undefined
 * when the table has no such view in this workspace.
 */
export async function updateView(
  pool: Pool,
  input: {
    workspaceId: number;
    tableId: number;
    viewId: number;
    name?: string;
    query?: unknown;
    hiddenColumnIds?: readonly number[];
  },
): Promise<View | undefined> {
  const checked = await checkView(pool, input, input);
  const name = input.name?.trim();
  const { rows } = await pool
    .query(
      `with changed as (
         update views v set name = coalesce($4, v.name), query = coalesce($5::jsonb, v.query),
           hidden_column_ids = coalesce($6::bigint[], v.hidden_column_ids), updated_at = now()
         from tables t
         where v.id = $3 and v.table_id = $1 and t.id = v.table_id and t.workspace_id = $2
         returning v.*)
       select ${viewFields} from changed v`,
      [
        input.tableId,
        input.workspaceId,
        input.viewId,
        name ?? null,
        checked.query === undefined ? null : JSON.stringify(checked.query),
        checked.hiddenColumnIds ?? null,
      ],
    )
    .catch((error) => {
      throw duplicateName(error, name);
    });
  return rows[0] && toView(rows[0]);
}
