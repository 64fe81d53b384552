import type { RowChange, RunChange } from '@glaze/core';
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
