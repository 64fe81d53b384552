import { type Column, type Row, valueToText } from '@glaze/core';
import type { RowValues } from './undo-stack';

/** What an edit plan reads of the table: the columns in display order and the loaded rows. */
export interface EditView {
  readonly columns: readonly Column[];
  readonly rowCount: number;
  rowAt(index: number): Row | undefined;
}

/** A region of the grid, in display columns and row indexes. */
export interface CellRange {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Input values to change: `before` and `after` hold the same rows and columns, for the undo. */
export interface CellPlan {
  before: RowValues[];
  after: RowValues[];
  /** How many cells change. */
  cells: number;
}

export interface PastePlan extends CellPlan {
  /** Rows to append for the part of the block below the last row, values by column id. */
  newRows: Record<string, string>[];
}

/** A paste the grid refuses, with a message a person can act on. */
export class EditRefused extends Error {}

/**
 * Where a pasted block of text lands, starting at `target` (column, row): the input cells it
 * changes (unchanged ones left out) and the rows to add past the last one. Refused, changing
 * nothing, when the block reaches an enrichment column or past the last column, or covers rows not
 * loaded yet.
 * @example planPaste(view, [0, 9], [['a', 'b'], ['c', 'd']]) // 10 rows: row 9 changes, one row is added
 */
export function planPaste(view: EditView, target: readonly [number, number], block: string[][]): PastePlan {
  const [col, row] = target;
  const width = block[0]?.length ?? 0;
  const plan: PastePlan = { before: [], after: [], cells: 0, newRows: [] };
  if (width === 0) return plan;
  const columns = view.columns.slice(col, col + width);
  const computed = columns.find((c) => c.kind !== 'input');
  if (computed)
    throw new EditRefused(
      `“${computed.name}” is an ${computed.kind} column: its values come from its provider. Paste into input columns only.`,
    );
  if (columns.length < width) {
    const first = view.columns[col]?.name ?? '';
    throw new EditRefused(
      `The pasted block is ${width} columns wide, but only ${columns.length} ${columns.length === 1 ? 'column starts' : 'columns start'} at “${first}”.`,
    );
  }
  const missing = block.findIndex((_, i) => row + i < view.rowCount && !view.rowAt(row + i));
  if (missing >= 0)
    throw new EditRefused(`Row ${row + missing + 1} is not loaded yet: scroll to it and paste again.`);

  const changes = new Changes();
  block.forEach((values, i) => {
    const current = view.rowAt(row + i);
    if (!current) {
      plan.newRows.push(Object.fromEntries(columns.map((c, j) => [String(c.id), values[j] ?? ''])));
      return;
    }
    columns.forEach((column, j) => {
      const next = values[j] ?? '';
      const held = current.values[column.id];
      if (valueToText(held) !== next) changes.add(current.id, column.id, held, next);
    });
  });
  return { ...changes.plan(), newRows: plan.newRows };
}

/**
 * The input cells of `ranges` that hold a value, set to empty: what Delete or Backspace does to a
 * selection. Enrichment cells and rows not loaded are left alone; a cell in two ranges counts once.
 */
export function planClear(view: EditView, ranges: readonly CellRange[]): CellPlan {
  const changes = new Changes();
  for (const range of ranges) {
    for (let y = range.y; y < range.y + range.height; y++) {
      const row = view.rowAt(y);
      if (!row) continue;
      for (let x = range.x; x < range.x + range.width; x++) {
        const column = view.columns[x];
        if (column?.kind !== 'input') continue;
        const held = row.values[column.id];
        if (held !== null && held !== undefined && held !== '') changes.add(row.id, column.id, held, null);
      }
    }
  }
  return changes.plan();
}

/** Collects cell changes by row, keeping the first `before` of a cell named twice. */
class Changes {
  private rows = new Map<number, { before: Record<string, unknown>; after: Record<string, unknown> }>();
  private count = 0;

  add(rowId: number, columnId: number, before: unknown, after: unknown): void {
    const row = this.rows.get(rowId) ?? { before: {}, after: {} };
    this.rows.set(rowId, row);
    const key = String(columnId);
    if (key in row.after) return;
    row.before[key] = before ?? null;
    row.after[key] = after;
    this.count++;
  }

  plan(): CellPlan {
    const entries = [...this.rows];
    return {
      before: entries.map(([rowId, r]) => ({ rowId, values: r.before })),
      after: entries.map(([rowId, r]) => ({ rowId, values: r.after })),
      cells: this.count,
    };
  }
}

/**
 * The table as the grid shows it, for edits addressed by grid position (a selection cleared, a block
 * pasted): the grid's column `x` is the x-th *shown* column, so a hidden column must not shift an edit
 * onto its neighbour.
 * @example planClear(gridView(store), ranges)
 */
export function gridView(store: {
  shown: readonly Column[];
  rowCount: number;
  rowAt(index: number): Row | undefined;
}): EditView {
  return { columns: store.shown, rowCount: store.rowCount, rowAt: (index) => store.rowAt(index) };
}
