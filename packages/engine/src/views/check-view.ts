import { AppError, parseOrThrow, type ViewQuery, viewQuerySchema } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { compileQuery } from '../query/compile-query';
import { queryById } from './query-by-id';

/**
 * Checks a view's query and hidden columns against its table before they are stored: the query by
 * the rows API's own schema and compiler (so `query.filter.and[1].column: no column "Emial" in this
 * table` names the field), every hidden id as a column of the table. Returns them as they are stored:
 * columns by id (`queryById`), hidden ids once each.
 */
export async function checkView(
  pool: Pool,
  table: { tableId: number; workspaceId: number },
  view: { query?: unknown; hiddenColumnIds?: readonly number[] },
): Promise<{ query?: ViewQuery; hiddenColumnIds?: number[] }> {
  const { tableId } = table;
  // Another workspace's table has no columns here: nothing about it shows in an error.
  const { rows: columns } = await pool.query(
    `select c.id::int, c.name, c.kind from columns c join tables t on t.id = c.table_id
     where c.table_id = $1 and t.workspace_id = $2`,
    [tableId, table.workspaceId],
  );
  const checked: { query?: ViewQuery; hiddenColumnIds?: number[] } = {};
  if (view.query !== undefined) {
    const query = parseOrThrow(viewQuerySchema, view.query, 'query');
    compileQuery(tableId, columns, query, 'query.');
    checked.query = queryById(query, columns);
  }
  if (view.hiddenColumnIds !== undefined) {
    const known = new Set(columns.map((c) => Number(c.id)));
    view.hiddenColumnIds.forEach((id, i) => {
      if (!known.has(id))
        throw new AppError(
          'validation_failed',
          `no column with id ${id} in this table`,
          `hiddenColumnIds[${i}]`,
        );
    });
    checked.hiddenColumnIds = [...new Set(view.hiddenColumnIds)];
  }
  return checked;
}

/** A second view of one name in one table is refused (the `unique (table_id, name)` of migration 023). */
export function duplicateName(error: unknown, name: string | undefined): Error {
  if ((error as { code?: string }).code === '23505' && name !== undefined)
    return new AppError('conflict', `this table already has a view named ${JSON.stringify(name)}`, 'name');
  return error as Error;
}
