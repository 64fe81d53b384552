import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { flattenValue, notFound, valueToText } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { stringify } from 'csv-stringify';
import { type ColumnInfo, listColumns } from '../tables/list-columns';
import { neutraliseCell } from './neutralise-cell';
import { csvStatements } from './statements';

export interface ExportCsvOptions {
  /** When set, the table must belong to this workspace. */
  workspaceId?: number;
  /** Rows read per round trip. */
  pageSize?: number;
  /**
   * Write every field and header exactly as stored. By default each goes through `neutraliseCell`,
   * so a value such as `=HYPERLINK(…)` opens as text in a spreadsheet, not as a live formula.
   */
  raw?: boolean;
}

export interface ExportedCsv {
  rows: number;
  /** The header as written (neutralised unless `raw`). */
  columns: string[];
}

interface OutputColumn {
  column: ColumnInfo;
  /** CSV header names this column fills: its name for inputs, `NAME` and/or `NAME.field…` otherwise. */
  labels: string[];
}

/**
 * The CSV as records of strings, header first, rows in position order. Exactly the table's columns:
 * input columns as stored, then each enrichment column flattened with `flattenValue` (an object
 * value becomes `NAME.field` columns: the union of the keys its done cells hold, found by one SQL
 * pass before the first row). Cells not `done` (queued, error, skipped…) are empty; no status columns.
 * Rows are read a page at a time by keyset, so memory stays flat however long the table.
 * A value that gains a new key while the export runs keeps only the keys known at the start.
 * Every field, header included, passes through `neutraliseCell` unless `options.raw`.
 */
export async function* csvExportRecords(
  pool: Pool,
  tableId: number,
  options: ExportCsvOptions = {},
  counter: { rows: number; columns: string[] } = { rows: 0, columns: [] },
): AsyncGenerator<string[]> {
  const output = await outputColumns(pool, tableId, options.workspaceId);
  const cell = options.raw ? asIs : neutraliseCell;
  counter.columns = output.flatMap((o) => o.labels).map(cell);
  yield counter.columns;
  const pageSize = options.pageSize ?? 1000;
  let after = { position: Number.NEGATIVE_INFINITY, id: 0 };
  for (;;) {
    const { rows } = await pool.query({
      ...csvStatements.exportPage,
      values: [tableId, after.position, after.id, pageSize],
    });
    for (const row of rows) {
      yield csvRecord(output, row.data ?? {}, row.values ?? {}, cell);
      counter.rows += 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { position: last.position, id: last.id };
  }
}

/**
 * Writes a table as CSV to `writable` (ended when done), streaming with backpressure.
 * @example await exportCsv(pool, table.id, createWriteStream('out.csv'))
 */
export async function exportCsv(
  pool: Pool,
  tableId: number,
  writable: Writable,
  options: ExportCsvOptions = {},
): Promise<ExportedCsv> {
  const counter = { rows: 0, columns: [] as string[] };
  await pipeline(Readable.from(csvExportRecords(pool, tableId, options, counter)), stringify(), writable);
  return counter;
}

/** The CSV as a byte stream, for an HTTP reply; a failure mid-way destroys it with the error. */
export function exportCsvStream(pool: Pool, tableId: number, options: ExportCsvOptions = {}): Readable {
  const csv = stringify();
  Readable.from(csvExportRecords(pool, tableId, options))
    .on('error', (error) => csv.destroy(error))
    .pipe(csv);
  return csv;
}

async function outputColumns(pool: Pool, tableId: number, workspaceId?: number): Promise<OutputColumn[]> {
  const found = await pool.query(
    'select 1 from tables where id = $1 and ($2::bigint is null or workspace_id = $2)',
    [tableId, workspaceId ?? null],
  );
  if (found.rowCount === 0) throw notFound('table', tableId);
  const columns = await listColumns(pool, tableId);
  const { rows } = await pool.query({ ...csvStatements.exportHeaders, values: [tableId] });
  const paths = new Map<number, string[]>();
  for (const { columnId, path } of rows as { columnId: number; path: string }[]) {
    paths.set(columnId, [...(paths.get(columnId) ?? []), path]);
  }
  const inputs = columns.filter((c) => c.kind === 'input');
  const values = columns.filter((c) => c.kind !== 'input');
  return [
    ...inputs.map((column) => ({ column, labels: [column.name] })),
    ...values.map((column) => ({
      column,
      labels: (paths.get(column.id) ?? ['']).map((path) => column.name + path),
    })),
  ];
}

function csvRecord(
  output: readonly OutputColumn[],
  data: Record<string, unknown>,
  values: Record<string, unknown>,
  cell: (text: string) => string,
): string[] {
  const record: string[] = [];
  for (const { column, labels } of output) {
    const key = String(column.id);
    if (column.kind === 'input') {
      record.push(cell(valueToText(data[key])));
    } else if (!Object.hasOwn(values, key)) {
      for (const _ of labels) record.push('');
    } else {
      const flat = flattenValue(column.name, values[key]);
      for (const label of labels) record.push(cell(flat[label] ?? ''));
    }
  }
  return record;
}

const asIs = (text: string) => text;
