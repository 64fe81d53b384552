import type { GridSelection } from '@glideapps/glide-data-grid';

export interface Range {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Every region a grid selection covers: the current range, the ranges added with Ctrl, each
 * selected row (all columns) and each selected column (all rows).
 */
export function selectionRanges(selection: GridSelection, columns: number, rows: number): Range[] {
  const ranges: Range[] = [];
  if (selection.current) ranges.push(selection.current.range, ...selection.current.rangeStack);
  for (const y of selection.rows) ranges.push({ x: 0, y, width: columns, height: 1 });
  for (const x of selection.columns) ranges.push({ x, y: 0, width: 1, height: rows });
  return ranges;
}

/**
 * The block a copy takes: the current range, else the selected rows with every column — as row
 * indexes and column indexes, in order. Undefined when nothing is selected.
 */
export function copyBlock(
  selection: GridSelection,
  columns: number,
): { rows: number[]; columns: number[] } | undefined {
  const range = selection.current?.range;
  const span = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  if (range) return { rows: span(range.y, range.height), columns: span(range.x, range.width) };
  if (selection.rows.length > 0) return { rows: selection.rows.toArray(), columns: span(0, columns) };
  return undefined;
}
