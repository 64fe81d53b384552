import { z } from 'zod';

/**
 * The rows a viewer of a table's event stream wants cell changes for, as sorted, disjoint id ranges
 * (`lo` to `hi`, both included). On the wire: `?rows=1-100,205,300-310`.
 */
export type RowWindow = ReadonlyArray<readonly [lo: number, hi: number]>;

/** Ranges one window may hold: a grid's loaded pages in a sorted view are ~2,000 scattered ids. */
export const maxWindowRanges = 5000;
/** Rows one window may cover: the server reads the window's cells ahead of a backlog. */
export const maxWindowRows = 20_000;

const windowText = /^\d{1,15}(-\d{1,15})?(,\d{1,15}(-\d{1,15})?)*$/;

/** `?rows=` of `GET /tables/:id/events`: checked here, read into ranges by `parseRowWindow`. */
export const rowWindowText = z
  .string()
  .max(100_000)
  .regex(windowText, 'must be row ids and id ranges separated by commas, like 1-100,205')
  .refine((text) => text.split(',').length <= maxWindowRanges, `must hold at most ${maxWindowRanges} ranges`);

/**
 * Reads `1-100,205` into sorted, merged ranges, or says what is wrong with it (a range written high
 * to low, more than `maxWindowRows` rows).
 */
export function parseRowWindow(text: string): RowWindow | string {
  const ranges: [number, number][] = [];
  let rows = 0;
  for (const part of text.split(',')) {
    const [lo, hi = lo] = part.split('-').map(Number) as [number, number?];
    if (hi < lo) return `range ${part} goes from high to low`;
    rows += hi - lo + 1;
    if (rows > maxWindowRows) return `must cover at most ${maxWindowRows} rows`;
    ranges.push([lo, hi]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/** Writes row ids (any order, repeats allowed) as the shortest `?rows=` text. */
export function formatRowWindow(ids: Iterable<number>): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Whether the window holds the row: a binary search over its ranges. */
export function windowHas(window: RowWindow, rowId: number): boolean {
  let lo = 0;
  let hi = window.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = window[mid]!;
    if (rowId < from) hi = mid - 1;
    else if (rowId > to) lo = mid + 1;
    else return true;
  }
  return false;
}
