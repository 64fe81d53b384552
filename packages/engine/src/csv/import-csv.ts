import type { Readable } from 'node:stream';
import { AppError, notFound, quoteInput } from '@glaze/core';
import { type Pool, withTransaction } from '@glaze/db';
import { insertRowData } from '../rows/insert-rows';
import { createTable, type TableInfo } from '../tables/create-table';
import { appendIdRanges, type IdRange } from './id-ranges';
import { type CsvRecord, checkHeader, emptyCsv, readCsv } from './read-csv';

export interface ImportCsvOptions {
  /** The CSV bytes: a file, an HTTP request body… Not closed here; the caller owns it. */
  stream: Readable;
  /** Append to this table: headers must name its input columns (some may be left out). */
  tableId?: number;
  /** The workspace of a new table; with `tableId`, the table must belong to it. */
  workspaceId?: number;
  /** Name of the new table (when no `tableId`). */
  name?: string;
  /** Rows per INSERT. */
  batchSize?: number;
}

export interface ImportedCsv {
  table: TableInfo;
  /** Rows added. */
  rows: number;
  /**
   * The ids of the rows added, as ascending ranges of consecutive ids (usually one; see
   * `appendIdRanges`), so a 100,000-row import never holds 100,000 ids. Read them with `idPages`,
   * e.g. to start the table's auto-run columns on the new rows.
   */
  rowIds: IdRange[];
  /** Header names, in file order. */
  columns: string[];
}

/** A batch is also cut at this many characters of JSON, so a file of huge cells stays bounded. */
const maxBatchChars = 8_000_000;

/**
 * Imports a CSV as rows, streaming: the header names the input columns (a new table gets one per
 * header); rows go in 2,000 per statement. All rows go in one transaction: a bad line 90,000 leaves
 * an existing table untouched, and a new table is dropped, so a failed import never leaves half a list.
 * Into an existing table, rows are staged in a temporary table and copied at the end, so a slow
 * upload never holds the table's lock (see below).
 * Blank fields are stored as absent values.
 * @example await importCsv(pool, { workspaceId: 1, name: 'leads', stream: createReadStream('leads.csv') })
 */
export async function importCsv(pool: Pool, options: ImportCsvOptions): Promise<ImportedCsv> {
  const records = readCsv(options.stream);
  try {
    const first = await records.next();
    if (first.done) throw emptyCsv();
    const header = checkHeader(first.value.fields);
    const created = options.tableId === undefined;
    const table = created
      ? await newTable(pool, options, header)
      : await existingTable(pool, options.tableId as number, options.workspaceId);
    try {
      const columnIds = await inputColumnIds(pool, table.id, header);
      const batchSize = options.batchSize ?? 2000;
      const rowIds: IdRange[] = [];
      const rows = await withTransaction(pool, async (client) => {
        const toRows = async (batch: string[]) => {
          const ids = await insertRowData(client, table.id, batch);
          appendIdRanges(rowIds, ids);
          return ids.length;
        };
        if (created) return insertBatches(records, batchSize, header, columnIds, toRows);
        // An existing table may be open in a browser with runs in flight. insertRowData holds the
        // table's lock (shared) until commit, and the change feed waits for it exclusively, so rows
        // are staged first and copied at the end: the lock lasts as long as the copy, not the upload.
        await client.query(
          'create temp table glaze_import (ord bigint generated always as identity primary key, data jsonb not null) on commit drop',
        );
        await insertBatches(records, batchSize, header, columnIds, (batch) =>
          client
            .query('insert into glaze_import (data) select unnest($1::jsonb[])', [batch])
            .then((r) => r.rowCount ?? 0),
        );
        let copied = 0;
        for (let last = 0; ; ) {
          const page = await client.query(
            'select ord, data::text as data from glaze_import where ord > $1 order by ord limit $2',
            [last, batchSize],
          );
          if (page.rows.length === 0) return copied;
          copied += await toRows(page.rows.map((r) => r.data as string));
          last = page.rows.at(-1).ord;
        }
      });
      return { table, rows, rowIds, columns: header };
    } catch (error) {
      if (created) await pool.query('delete from tables where id = $1', [table.id]).catch(() => {});
      throw error;
    }
  } finally {
    await records.return(undefined);
  }
}

/** Turns records into row data keyed by column id and inserts them in batches; returns the row count. */
async function insertBatches(
  records: AsyncIterable<CsvRecord>,
  batchSize: number,
  header: readonly string[],
  columnIds: readonly string[],
  insert: (batch: string[]) => Promise<number>,
): Promise<number> {
  let count = 0;
  let batch: string[] = [];
  let chars = 0;
  for await (const { fields, line } of records) {
    const data: Record<string, string> = {};
    fields.forEach((value, index) => {
      if (value === '') return;
      // Postgres jsonb cannot hold U+0000: say where it is rather than fail a whole batch vaguely.
      if (value.includes('\u0000')) {
        throw new AppError(
          'validation_failed',
          `line ${line}: column ${quoteInput(header[index] ?? '')} holds a NUL character`,
        );
      }
      data[columnIds[index] as string] = value;
    });
    const json = JSON.stringify(data);
    batch.push(json);
    chars += json.length;
    if (batch.length >= batchSize || chars >= maxBatchChars) {
      count += await insert(batch);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) count += await insert(batch);
  return count;
}

async function newTable(pool: Pool, options: ImportCsvOptions, header: string[]): Promise<TableInfo> {
  if (options.workspaceId === undefined) {
    throw new AppError('validation_failed', 'a new table needs a workspace (or give tableId)', 'workspaceId');
  }
  return createTable(pool, {
    workspaceId: options.workspaceId,
    name: options.name ?? 'Imported CSV',
    inputColumns: header,
  });
}

async function existingTable(
  pool: Pool,
  tableId: number,
  workspaceId: number | undefined,
): Promise<TableInfo> {
  const { rows } = await pool.query(
    `select id, workspace_id as "workspaceId", name, created_at as "createdAt" from tables
     where id = $1 and ($2::bigint is null or workspace_id = $2)`,
    [tableId, workspaceId ?? null],
  );
  if (!rows[0]) throw notFound('table', tableId);
  return rows[0] as TableInfo;
}

/** Column id (as a row-data key) for each header field; headers that are not input columns are refused. */
async function inputColumnIds(pool: Pool, tableId: number, header: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query(
    `select id, name from columns where table_id = $1 and kind = 'input' order by position, id`,
    [tableId],
  );
  const ids = new Map(rows.map((c) => [c.name as string, String(c.id)]));
  const unknown = header.filter((name) => !ids.has(name));
  if (unknown.length > 0) {
    // A header is client input: name at most five, each cut to 100 characters.
    const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
    const names =
      unknown
        .slice(0, 5)
        .map((n) => quoteInput(n))
        .join(', ') + more;
    const known = [...ids.keys()].join(', ') || '(none)';
    throw new AppError(
      'validation_failed',
      `line 1: the table has no input column named ${names}; its input columns: ${known}`,
    );
  }
  return header.map((name) => ids.get(name) as string);
}
