/** Consecutive row ids `first..last`, both included. */
export interface IdRange {
  first: number;
  last: number;
}

/**
 * Adds ascending ids to ascending ranges, extending the last range while ids are consecutive. An
 * import's rows take increasing ids, so 100,000 rows are usually one range; a concurrent writer that
 * takes ids in between costs one more range, never a wrong id.
 */
export function appendIdRanges(ranges: IdRange[], ids: readonly number[]): void {
  for (const id of ids) {
    const last = ranges.at(-1);
    if (last && id === last.last + 1) last.last = id;
    else ranges.push({ first: id, last: id });
  }
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
