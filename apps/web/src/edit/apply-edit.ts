import type { Column } from '@glaze/core';
import { deleteColumn, restoreColumn, updateColumn } from '../api/columns';
import { deleteRows, restoreRows, updateRows } from '../api/rows';
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
        await updateRows(tableId, byName(op.after, columns()));
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
