import type { PoolClient } from '@glaze/db';
import { copyRecords } from './copy-records';
import type { CsvRecord } from './read-csv';

/**
 * Creates the temporary table `glaze_import (ord, data)` (dropped at commit) and streams the
 * records into it with COPY (copy-records.ts); returns how many. An import into an existing table
 * stages its rows so that the table's lock lasts as long as the copy into it, not the upload.
 */
export async function stageRows(
  client: PoolClient,
  records: AsyncIterable<CsvRecord[]>,
  header: readonly string[],
  columnIds: readonly string[],
  /** Rows per write into the COPY stream. */
  rowsPerWrite = 2000,
): Promise<number> {
  await client.query(
    'create temp table glaze_import (ord bigint generated always as identity, data jsonb not null) on commit drop',
  );
  return copyRecords(
    client,
    'copy glaze_import (data) from stdin',
    records,
    header,
    columnIds,
    () => '',
    rowsPerWrite,
  );
}
