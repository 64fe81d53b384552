import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { matchingRowIds } from '../query/matching-row-ids';
import { getView } from './get-view';

/**
 * The ids of the rows a saved view matches now (its filter and search), in table order, for a run
 * over "the rows of this view". A view of another workspace is a 404 and a view of another table a
 * 400, both naming `field`; more than `max` rows (100,000, a run's cap) is refused.
 */
export async function viewRowIds(
  pool: Pool,
  input: { viewId: number; tableId: number; workspaceId: number; field?: string; max?: number },
): Promise<number[]> {
  const field = input.field ?? 'view';
  const view = await getView(pool, input.viewId, input.workspaceId);
  if (!view) throw new AppError('not_found', `view ${input.viewId} does not exist`, field);
  if (view.tableId !== input.tableId)
    throw new AppError(
      'validation_failed',
      `view ${input.viewId} is a view of table ${view.tableId}, not of table ${input.tableId}`,
      field,
    );
  return matchingRowIds(pool, {
    tableId: input.tableId,
    filter: view.query.filter,
    q: view.query.q,
    fieldPrefix: `${field}.query.`,
    field,
    max: input.max,
  });
}
