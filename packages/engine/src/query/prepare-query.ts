import type { Filter, Sort } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type CompiledQuery, compileQuery } from './compile-query';
import { requestQueryIndexes } from './request-query-indexes';

/**
 * A row query compiled against its table's columns, with the indexes it wants asked for: they build
 * in the background, and until then the query answers by a scan (`indexing` names them).
 */
export async function prepareQuery(
  pool: Pool,
  tableId: number,
  query: { filter?: Filter; sort?: Sort; q?: string },
): Promise<{ compiled: CompiledQuery; indexing: string[] }> {
  const { rows: columns } = await pool.query('select id::int, name, kind from columns where table_id = $1', [
    tableId,
  ]);
  const compiled = compileQuery(tableId, columns, query);
  const request = await requestQueryIndexes(pool, compiled.indexes);
  request.built.catch(() => {}); // failures are recorded in query_indexes
  return { compiled, indexing: request.building };
}
