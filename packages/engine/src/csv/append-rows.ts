import type { PoolClient } from '@glaze/db';
import { copyRecords } from './copy-records';
import { type IdRange, idRanges } from './id-ranges';
import type { CsvRecord } from './read-csv';
import { csvStatements } from './statements';

/**
 * Streams the records of a new table's import straight into `rows` with COPY, positions 1…n in
 * file order, under the table's write rule (glaze_lock_table before the first row takes a seq,
 * glaze_notify_table once done); returns how many and their ids as ranges.
 *
 * One pass, where an existing table's import stages its rows first (stage-rows.ts) and copies them
 * in one INSERT: that INSERT ran after the upload, on one core, with Node idle (1M rows: 5 s of
 * 14 s). Here Postgres writes the rows while Node scans the next part of the file. The table's
 * lock is held for the whole upload, which only makes a change feed of this table (nobody has it
 * open yet: the import has not answered) wait for the import.
 */
export async function appendRows(
  client: PoolClient,
  tableId: number,
  records: AsyncIterable<CsvRecord[]>,
  header: readonly string[],
  columnIds: readonly string[],
  /** Rows per write into the COPY stream. */
  rowsPerWrite = 2000,
): Promise<{ inserted: number; rowIds: IdRange[] }> {
  await client.query('select glaze_lock_table($1)', [tableId]);
  const prefix = `${Number(tableId)}\t`;
  const inserted = await copyRecords(
    client,
    'copy rows (table_id, position, data) from stdin',
    records,
    header,
    columnIds,
    (n) => `${prefix}${n}\t`,
    rowsPerWrite,
  );
  const { rows } = await client.query({ ...csvStatements.appendedRows, values: [tableId, inserted] });
  return { inserted, rowIds: idRanges(rows[0].ranges) };
}
