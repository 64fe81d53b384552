import { type RowChange, type RowWindow, type RunChange, windowHas } from '@glaze/core';
import type { WireCell } from './wire-cell';

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
  cells: WireCell[];
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
  if (window.length * 16 >= batch.cells.length)
    return { ...batch, cells: batch.cells.filter((cell) => windowHas(window, cell.rowId)) };
  // Few ranges against many cells (1,000 viewports of a busy run): each range is found by binary
  // search in the cells sorted by row, sorted once per batch for every watcher, not each cell tested.
  const sorted = byRow(batch.cells);
  const cells: WireCell[] = [];
  for (const [lo, hi] of window) {
    for (let i = firstAtOrAfter(sorted, lo); i < sorted.length && sorted[i]!.rowId <= hi; i++)
      cells.push(sorted[i]!);
  }
  return { ...batch, cells: cells.sort((a, b) => a.seq - b.seq) };
}

const sortedByRow = new WeakMap<WireCell[], WireCell[]>();

function byRow(cells: WireCell[]): WireCell[] {
  let sorted = sortedByRow.get(cells);
  if (!sorted) {
    sorted = [...cells].sort((a, b) => a.rowId - b.rowId);
    sortedByRow.set(cells, sorted);
  }
  return sorted;
}

function firstAtOrAfter(sorted: WireCell[], rowId: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.rowId < rowId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
