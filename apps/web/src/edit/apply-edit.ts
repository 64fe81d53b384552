import type { Column } from '@glaze/core';
import { deleteColumn, restoreColumn, updateColumn } from '../api/columns';
import { addRows, deleteRows, restoreRows, updateRows } from '../api/rows';
import type { EditOp, RowValues } from './undo-stack';

/**
 * Sends edit ops to the server, one request each, in order. Cell values are kept by column id, so
 * an undo still finds a column renamed since; they go out by the column's current name.
 */
export async function applyEditOps(
  tableId: number,
  ops: readonly EditOp[],
  columns: () => readonly Column[],
): Promise<void> {
  for (const op of ops) {
    switch (op.kind) {
      case 'cells':
        await sendCellValues(tableId, op.after, columns());
        break;
      case 'deleteRows':
        await deleteRows(tableId, op.ids);
        break;
      case 'restoreRows':
        await restoreRows(tableId, op.ids);
        break;
      case 'deleteColumn':
        await deleteColumn(tableId, op.columnId);
        break;
      case 'restoreColumn':
        await restoreColumn(tableId, op.columnId);
        break;
      case 'renameColumn':
        await updateColumn(tableId, op.columnId, { name: op.to });
        break;
    }
  }
}

/** Row values by column id → the PATCH body's values by column name. */
export function byName(rows: readonly RowValues[], columns: readonly Column[]) {
  const names = new Map(columns.map((c) => [String(c.id), c.name]));
  return rows.map((row) => ({
    id: row.rowId,
    values: Object.fromEntries(
      Object.entries(row.values).map(([id, value]) => {
        const name = names.get(id);
        if (name === undefined) throw new Error(`The column of this change (id ${id}) was deleted.`);
        return [name, value];
      }),
    ),
  }));
}

/** The most rows one POST or PATCH of rows takes (`insertRowsBody`, `updateRowsBody`). */
const rowsPerRequest = 10_000;

/** Sets cell values, in as few requests as the API allows: one up to 10,000 rows. */
export async function sendCellValues(
  tableId: number,
  rows: readonly RowValues[],
  columns: readonly Column[],
): Promise<void> {
  const named = byName(rows, columns);
  for (let i = 0; i < named.length; i += rowsPerRequest)
    await updateRows(tableId, named.slice(i, i + rowsPerRequest));
}

/** Appends rows given by column id, 10,000 a request; returns their ids in order. */
export async function appendRows(
  tableId: number,
  rows: readonly Record<string, unknown>[],
  columns: readonly Column[],
): Promise<number[]> {
  const named = byName(
    rows.map((values) => ({ rowId: 0, values })),
    columns,
  ).map((row) => row.values);
  const ids: number[] = [];
  for (let i = 0; i < named.length; i += rowsPerRequest)
    ids.push(...(await addRows(tableId, named.slice(i, i + rowsPerRequest))).ids);
  return ids;
}
