import { parseOrThrow, type RowCount, type RowQueryInput, rowQuerySchema } from '@glaze/core';
import { cancelOnAbort, type Pool } from '@glaze/db';
import { countMatches } from './count-matches';
import { prepareQuery } from './prepare-query';

/**
 * How many rows a filter or search matches, on its own: the grid asks for its first page and this
 * side by side, so the rows show as soon as they are read and "N of M rows" follows (counting a rare
 * filter over a million rows can take a second). Exact, or estimated from a sample past 150 ms
 * (count-matches.ts).
 * @example await countRows(pool, { tableId: 5, query: { filter: { column: 'City', op: 'contains', value: 'zur' } } })
 */
export async function countRows(
  pool: Pool,
  input: {
    tableId: number;
    query: Omit<RowQueryInput, 'offset' | 'limit' | 'sort'>;
    /** Aborts when the asker is gone: the count's statements are cancelled in Postgres. */
    signal?: AbortSignal;
  },
): Promise<RowCount> {
  const query = parseOrThrow(rowQuerySchema, input.query);
  const { compiled, indexing } = await prepareQuery(pool, input.tableId, {
    filter: query.filter,
    q: query.q,
  });
  const reads = input.signal ? cancelOnAbort(pool, input.signal) : pool;
  return { matched: await countMatches(reads, compiled), indexing };
}
