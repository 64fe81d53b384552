import type { AnyProvider } from '@glaze/core';
import type { PoolClient } from '@glaze/db';
import { inputDependants } from '../deps/input-dependants';
import { type ColumnInfo, columnFields } from '../tables/list-columns';
import { type IdRange, idRanges } from './id-ranges';
import { csvStatements } from './statements';

export interface UpsertCounts {
  /** Rows appended (keys the table did not hold, and lines with a blank key). */
  inserted: number;
  /** Rows whose values changed. */
  updated: number;
  /** Rows whose key matched but whose values were already those of the file. */
  unchanged: number;
  /** Cells marked `stale` because an input they depend on changed. */
  stale: number;
  rowIds: IdRange[];
}

/**
 * Merges the rows staged in `glaze_import` into a table by the key column's value, in one
 * statement (see sql/upsert-staged.sql): updates rows with a known key, appends the others,
 * and marks the cells computed from changed inputs `stale`.
 */
export async function upsertStaged(
  client: PoolClient,
  tableId: number,
  options: {
    keyColumnId: string;
    fileColumnIds: readonly string[];
    providers: ReadonlyMap<string, AnyProvider>;
  },
): Promise<UpsertCounts> {
  const columns = await client.query(`select ${columnFields} from columns where table_id = $1`, [tableId]);
  const pairs = inputDependants(options.providers, columns.rows as ColumnInfo[]);
  const { rows } = await client.query({
    ...csvStatements.upsertStaged,
    values: [
      tableId,
      options.keyColumnId,
      options.fileColumnIds,
      pairs.map((p) => p.inputId),
      pairs.map((p) => p.columnId),
    ],
  });
  const result = rows[0];
  return {
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    stale: result.staled,
    rowIds: idRanges(result.ranges),
  };
}
