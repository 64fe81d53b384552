import type { View } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';

/**
 * The select list behind `toView`, for `views v`: hidden ids of columns deleted since the view was
 * saved are left out here, so a view never hides a column that is not there.
 */
export const viewFields = `v.id, v.table_id, v.name, v.query, v.created_at, v.updated_at,
  array(select h from unnest(v.hidden_column_ids) with ordinality as u(h, o)
        where exists (select 1 from columns c where c.id = u.h and c.table_id = v.table_id)
        order by o) as hidden`;

/** A view of a table of this workspace, or undefined: another workspace's view looks like a missing one. */
export async function getView(pool: Pool, viewId: number, workspaceId: number): Promise<View | undefined> {
  const { rows } = await pool.query(
    `select ${viewFields} from views v join tables t on t.id = v.table_id
     where v.id = $1 and t.workspace_id = $2`,
    [viewId, workspaceId],
  );
  return rows[0] && toView(rows[0]);
}

/** Maps a row selected with `viewFields`: bigint ids come back as strings, times leave as ISO 8601. */
export function toView(row: Record<string, unknown>): View {
  return {
    id: Number(row.id),
    tableId: Number(row.table_id),
    name: String(row.name),
    query: row.query as View['query'],
    hiddenColumnIds: row.hidden as number[],
    createdAt: isoTime(row.created_at) as string,
    updatedAt: isoTime(row.updated_at) as string,
  };
}
