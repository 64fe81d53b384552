import { parseOrThrow, type RowQueryInput, rowQuerySchema } from '@glaze/core';
import type { Pool } from '@glaze/db';
import type { RowWithCells } from '../rows/read-rows';
import { withCells } from '../rows/with-cells';
import { compileQuery } from './compile-query';
import { countMatches, type MatchCount } from './count-matches';
import { readPage } from './read-page';
import { requestQueryIndexes } from './request-query-indexes';

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
  input: { tableId: number; query: RowQueryInput; count?: boolean },
): Promise<QueryPage> {
  const query = parseOrThrow(rowQuerySchema, input.query);
  const { rows: columns } = await pool.query('select id::int, name, kind from columns where table_id = $1', [
    input.tableId,
  ]);
  const compiled = compileQuery(input.tableId, columns, query);
  const request = await requestQueryIndexes(pool, compiled.indexes);
  request.built.catch(() => {}); // failures are recorded in query_indexes
  const rows = await readPage(pool, compiled, query.offset, query.limit);
  return {
    rows: await withCells(pool, input.tableId, rows),
    offset: query.offset,
    ...(input.count ? { matched: await countMatches(pool, compiled) } : {}),
    indexing: request.building,
  };
}
