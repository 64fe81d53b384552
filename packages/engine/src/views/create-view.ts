import type { View } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { checkView, duplicateName } from './check-view';
import { toView, viewFields } from './get-view';

/**
 * Saves a view of a table of this workspace; undefined when the workspace has no such table.
 * @example await createView(pool, { workspaceId, tableId, name: 'Failed emails', query: { filter: { column: 'Email check', op: 'status', value: ['error'] } } })
 */
export async function createView(
  pool: Pool,
  input: {
    workspaceId: number;
    tableId: number;
    name: string;
    query?: unknown;
    hiddenColumnIds?: readonly number[];
  },
): Promise<View | undefined> {
  const checked = await checkView(pool, input, {
    query: input.query ?? {},
    hiddenColumnIds: input.hiddenColumnIds ?? [],
  });
  const name = input.name.trim();
  const { rows } = await pool
    .query(
      `with made as (
         insert into views (table_id, name, query, hidden_column_ids)
         select t.id, $3, $4::jsonb, $5::bigint[] from tables t where t.id = $1 and t.workspace_id = $2
         returning *)
       select ${viewFields} from made v`,
      [input.tableId, input.workspaceId, name, JSON.stringify(checked.query), checked.hiddenColumnIds],
    )
    .catch((error) => {
      throw duplicateName(error, name);
    });
  return rows[0] && toView(rows[0]);
}
