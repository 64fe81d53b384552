/**
 * The grid's row count after a page of a query landed. When counting took too long the server's
 * count is an estimate, so the pages themselves correct it: a short page is the true end, and a
 * full page reaching the counted end shows one more row, whose page then loads and says again.
 * @example queryRowCount(41_000, 40_000, 1_000, 1_000) // 41_001: there may be more
 * @example queryRowCount(41_000, 40_000, 1_000, 12) // 40_012: the end
 */
export function queryRowCount(counted: number, offset: number, limit: number, received: number): number {
  if (received < limit) return offset + received;
  if (offset + received >= counted) return offset + received + 1;
  return counted;
}
