/** Consecutive row ids `first..last`, both included. */
export interface IdRange {
  first: number;
  last: number;
}

/**
 * The ids of `ranges` in pages of at most `size`, so only one page is ever held as numbers.
 * @example for (const ids of idPages(imported.rowIds, 100_000)) await runAutoColumns(pool, tableId, ids);
 */
export function* idPages(ranges: readonly IdRange[], size: number): Generator<number[]> {
  let page: number[] = [];
  for (const range of ranges) {
    for (let id = range.first; id <= range.last; id++) {
      page.push(id);
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}

/** Ranges as a statement returns them (`json_agg` of `[first, last]`, bigints possibly as text). */
export function idRanges(pairs: ReadonlyArray<readonly [number | string, number | string]>): IdRange[] {
  return pairs.map(([first, last]) => ({ first: Number(first), last: Number(last) }));
}
