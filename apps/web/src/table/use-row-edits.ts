import type { Column } from '@glaze/core';
import type { GridSelection, Item } from '@glideapps/glide-data-grid';
import { useCallback, useRef } from 'react';
import { addRows, deleteRows } from '../api/rows';
import { appendRows, sendCellValues } from '../edit/apply-edit';
import { type CellPlan, EditRefused, gridView, planClear, planPaste } from '../edit/cell-edits';
import { parseTsv } from '../edit/tsv';
import type { Edit, EditOp } from '../edit/undo-stack';
import type { Range } from '../grid/selection-ranges';
import type { TableStore } from '../store/table-store';
import { formatCount } from '../ui/format';
import { useUndo } from './use-undo';

const plural = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? '' : 's'}`;

/**
 * Every edit of the table's rows and cells, each one request, each recorded for undo: typing in a
 * cell, clearing a selection, pasting a block (rows past the end are added), adding a row,
 * deleting the selected rows (after a confirmation naming how many).
 */
export function useRowEdits(options: {
  tableId: number;
  store: TableStore;
  columns: Column[];
  act(action: () => Promise<unknown>): Promise<void>;
  onError(message: string): void;
}) {
  const { tableId, store, act, onError } = options;
  const columns = useRef(options.columns);
  columns.current = options.columns;
  const undo = useUndo(tableId, columns, onError);
  const { record, tracked } = undo;

  const sendCells = useCallback(
    async (plan: CellPlan): Promise<EditOp[]> => {
      if (plan.cells === 0) return [];
      await sendCellValues(tableId, plan.after, columns.current);
      return [{ kind: 'cells', before: plan.before, after: plan.after }];
    },
    [tableId],
  );

  const onCellEdit = useCallback(
    (rowIndex: number, column: Column, text: string) =>
      void act(() =>
        tracked(async () => {
          const plan = planPaste(store, [store.columns.indexOf(column), rowIndex], [[text]]);
          const ops = await sendCells(plan);
          record({ label: `edit of “${column.name}”`, ops });
        }),
      ),
    [store, act, sendCells, record, tracked],
  );

  const onClear = useCallback(
    (ranges: Range[]) =>
      void act(() =>
        tracked(async () => {
          const plan = planClear(gridView(store), ranges);
          record({ label: `clear of ${plural(plan.cells, 'cell')}`, ops: await sendCells(plan) });
        }),
      ),
    [store, act, sendCells, record, tracked],
  );

  const onPasteText = useCallback(
    (target: Item, text: string) =>
      void act(() =>
        tracked(async () => {
          let plan: ReturnType<typeof planPaste>;
          try {
            plan = planPaste(gridView(store), target, parseTsv(text));
          } catch (thrown) {
            if (thrown instanceof EditRefused) return onError(thrown.message);
            throw thrown;
          }
          const ops = await sendCells(plan);
          if (plan.newRows.length > 0) {
            const ids = await appendRows(tableId, plan.newRows, columns.current);
            ops.push({ kind: 'restoreRows', ids });
          }
          const added = plan.newRows.length > 0 ? ` and ${plural(plan.newRows.length, 'new row')}` : '';
          record({ label: `paste of ${plural(plan.cells, 'cell')}${added}`, ops });
        }),
      ),
    [store, act, sendCells, record, onError, tableId, tracked],
  );

  const addRow = useCallback(
    () =>
      act(() =>
        tracked(async () => {
          const { ids } = await addRows(tableId, [{}]);
          record({ label: 'new row', ops: [{ kind: 'restoreRows', ids }] });
        }),
      ),
    [act, record, tableId, tracked],
  );

  /** Deletes the selected rows once the person confirms the count; true when they went. */
  const deleteSelected = useCallback(
    async (selection: GridSelection): Promise<boolean> => {
      const ids = selection.rows.toArray().flatMap((index) => store.rowAt(index)?.id ?? []);
      if (ids.length === 0) return false;
      const what = plural(ids.length, 'row');
      if (!window.confirm(`Delete ${what} and their enrichment results? Undo (Ctrl+Z) brings them back.`))
        return false;
      let done = false;
      await act(() =>
        tracked(async () => {
          await deleteRows(tableId, ids);
          record({ label: `delete of ${what}`, ops: [{ kind: 'deleteRows', ids }] });
          done = true;
        }),
      );
      return done;
    },
    [store, act, record, tableId, tracked],
  );

  const recordEdit = useCallback((edit: Edit) => record(edit), [record]);
  return { ...undo, onCellEdit, onClear, onPasteText, addRow, deleteSelected, recordEdit };
}
