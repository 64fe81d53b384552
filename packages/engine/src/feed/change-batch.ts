import { type RowChange, type RowWindow, type RunChange, windowHas } from '@glaze/core';
import type { CellInfo } from './cell-fields';

export type { RowChange, RunChange };

/** A change with no row left to carry it: rows deleted, or the table's columns edited. */
export interface TableChange {
  seq: number;
  kind: 'schema' | 'rowsDeleted';
  ids: number[];
}

/** Every change of one table with `from < seq <= to`, each list in seq order. */
export interface ChangeBatch {
  tableId: number;
  from: number;
  to: number;
  cells: CellInfo[];
  runs: RunChange[];
  rows: RowChange[];
  changes: TableChange[];
}

export function isEmpty(batch: ChangeBatch): boolean {
  return batch.cells.length + batch.runs.length + batch.rows.length + batch.changes.length === 0;
}

/** The part of a batch after `seq` (a subscriber that already holds part of it). */
export function sliceAfter(batch: ChangeBatch, seq: number): ChangeBatch {
  if (seq <= batch.from) return batch;
  const after = <T extends { seq: number }>(items: T[]) => items.filter((item) => item.seq > seq);
  return {
    tableId: batch.tableId,
    from: seq,
    to: batch.to,
    cells: after(batch.cells),
    runs: after(batch.runs),
    rows: after(batch.rows),
    changes: after(batch.changes),
  };
}

/**
 * The batch as a viewer of `window`'s rows sees it: only those rows' cells; runs, rows and table
 * changes whole. Same `from` and `to`, so its position in the feed (and a resume) is unchanged.
 */
export function inWindow(batch: ChangeBatch, window: RowWindow | undefined): ChangeBatch {
  if (!window) return batch;
  return { ...batch, cells: batch.cells.filter((cell) => windowHas(window, cell.rowId)) };
}
