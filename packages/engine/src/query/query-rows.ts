import { parseOrThrow, type RowQueryInput, rowQuerySchema } from '@glaze/core';
import { cancelOnAbort, type Pool } from '@glaze/db';
import type { RowWithCells } from '../rows/read-rows';
import { withCells } from '../rows/with-cells';
import { countMatches, type MatchCount } from './count-matches';
import { prepareQuery } from './prepare-query';
import { readPage } from './read-page';

export interface QueryPage {
  rows: RowWithCells[];
  offset: number;
  /** How many rows match, when asked (`count`): exact, or estimated from a sample when counting outlasts 150 ms. */
  matched?: MatchCount;
  /** Indexes this query will use once built; until then it answers by a scan. */
  indexing: string[];
}

/**
 * One page of the rows a query selects (filter, search, sort), from any offset, with their cells. The
 * work is one statement in Postgres over indexes built on demand; nothing but the page reaches Node.
 * @example await queryRows(pool, { tableId: 5, query: { filter: { column: 'City', op: 'contains', value: 'zur' }, offset: 100000 } })
 */
export async function queryRows(
  pool: Pool,
  input: {
    tableId: number;
    query: RowQueryInput;
    count?: boolean;
    /** Aborts when the asker is gone: the page's and the count's statements are cancelled in Postgres. */
    signal?: AbortSignal;
  },
): Promise<QueryPage> {
  const query = parseOrThrow(rowQuerySchema, input.query);
  // the index builds it asks for run on after the asker is gone: they get the plain pool
  const { compiled, indexing } = await prepareQuery(pool, input.tableId, query);
  const reads = input.signal ? cancelOnAbort(pool, input.signal) : pool;
  // The count beside the page, on a connection of its own: the answer waits for the slower of the two.
  const [rows, matched] = await Promise.all([
    readPage(reads, compiled, query.offset, query.limit).then((page) =>
      withCells(reads, input.tableId, page),
    ),
    input.count ? countMatches(reads, compiled) : undefined,
  ]);
  return {
    rows,
    offset: query.offset,
    ...(matched ? { matched } : {}),
    indexing,
  };
}
