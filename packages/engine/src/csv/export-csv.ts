import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  flattenValue,
  isPlainQuery,
  parseOrThrow,
  type RowQueryInput,
  rowQuerySchema,
  valueToText,
} from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type CompiledQuery, compileQuery } from '../query/compile-query';
import { csvField, csvLine, type LineEnd } from './csv-line';
import { type ExportColumn, exportColumns } from './export-columns';
import { type PageRow, queryPages, tablePages } from './export-pages';
import { neutraliseCell } from './neutralise-cell';
import { csvStatements } from './statements';

export interface ExportCsvOptions {
  /** When set, the table must belong to this workspace. */
  workspaceId?: number;
  /** Rows read per round trip (default 1,000). */
  pageSize?: number;
  /**
   * Write every field and header exactly as stored. By default each goes through `neutraliseCell`,
   * so a value such as `=HYPERLINK(…)` opens as text in a spreadsheet, not as a live formula.
   */
  raw?: boolean;
  /** Start with a UTF-8 byte-order mark (Excel reads the file as UTF-8 only with one). */
  bom?: boolean;
  /** Record separator (default `\n`; Excel and Windows tools expect `\r\n`). */
  lineEnd?: LineEnd;
  /** Called after each page with the rows written so far (e.g. a progress line). */
  onRows?: (rows: number) => void;
  /**
   * Only the rows this filter and search select, in this sort's order: the filter language of
   * `GET /tables/:id/rows` (`queryRows`). A bad one is refused before the header, naming the field
   * (`filter.column: no column named "Emial"`).
   */
  query?: Pick<RowQueryInput, 'filter' | 'sort' | 'q'>;
}

export interface ExportedCsv {
  rows: number;
  /** The header as written (neutralised unless `raw`). */
  columns: string[];
}

/** A page is read by a range of row ids when its ids span at most this many times its length. */
const rangeSpread = 2;

/**
 * Rows per page. A page's objects (its rows, their parsed JSON, its cells, its text) should die in
 * V8's young generation (16 MB semi-spaces): at 5,000 rows a page and the one read ahead outlived
 * scavenges and were promoted, and the old space filled with dead pages until V8 ran a full
 * collection at ~4x the live heap. A 1M-row export alone peaked at 295-305 MB RSS (160-175 MB of
 * heap); at 1,000 rows, 236-239 MB (96-99 MB), and each scavenge promotes ~0.4 MB instead of
 * several. The round trips that smaller pages add are hidden by reading values ahead (below).
 */
const defaultPageSize = 1000;

/**
 * A page's done values: column id → row id (as a JSON key) → value; a row with none has no key.
 * Values over 64 KB are not there: `large` names, by row id, the columns whose value is read whole
 * when that row is written (`readLargeValues`).
 */
interface PageValues {
  byColumn: Map<number, Record<string, unknown>>;
  large: Map<string, number[]>;
}

/** A chunk is handed on once its text passes this many characters (a row of large values can be 100s of MB). */
const chunkChars = 8_000_000;

/**
 * Each page with its done values, the next page's values read while this one is written: a page's
 * rows (read ahead by tablePages / queryPages) and its cells are both in flight while the caller
 * formats the previous page, so Postgres and Node work at the same time rather than in turn.
 */
async function* withValuesAhead(
  pages: AsyncIterable<PageRow[]>,
  readValues: (rows: PageRow[]) => Promise<PageValues>,
): AsyncGenerator<[PageRow[], PageValues]> {
  let pending: Promise<[PageRow[], PageValues]> | undefined;
  for await (const rows of pages) {
    const next = readValues(rows).then((values): [PageRow[], PageValues] => [rows, values]);
    // An unread rejection of `next` would be reported as unhandled if the caller stops first.
    next.catch(() => {});
    if (pending) yield await pending;
    pending = next;
  }
  if (pending) yield await pending;
}

/**
 * The CSV as text chunks, one per page of rows: header first, rows in position order (or those of
 * `options.query`, in its order). Exactly the table's columns (see `exportColumns`): input values as
 * stored, byte for byte; each enrichment value flattened with `flattenValue`. Cells not `done`
 * (queued, error, stale…) are empty.
 * Two statements per page, both served by an index whatever else the database holds: the page of
 * rows by keyset on (position, id) (a query's rows by id, found in order first, see export-pages.ts),
 * then their cells by the cells key (column_id, row_id). A page
 * of consecutive ids (an import's) reads its cells as one range per column; scattered ids are
 * looked up one by one. Memory stays at one page however long the table (an export by query also
 * holds its rows' ids, 8 bytes a row). A value over 64 KB is
 * read on its own when its row is written (one more statement for such a row), and the text is
 * handed on every ~8 MB, so memory holds one row's large values, not a page's.
 * Every field, header included, passes through `neutraliseCell` unless `options.raw`.
 */
export async function* csvExportChunks(
  pool: Pool,
  tableId: number,
  options: ExportCsvOptions = {},
  counter: ExportedCsv = { rows: 0, columns: [] },
): AsyncGenerator<string> {
  const output = await exportColumns(pool, tableId, options.workspaceId);
  const compiled = compileExportQuery(tableId, output, options.query);
  const cell = options.raw ? asIs : neutraliseCell;
  const lineEnd = options.lineEnd ?? '\n';
  counter.columns = output.flatMap((o) => o.labels).map(cell);
  yield (options.bom ? '\ufeff' : '') + csvLine(counter.columns, lineEnd);
  const valueColumns = output.filter((o) => o.column.kind !== 'input').map((o) => o.column.id);
  const slots = recordSlots(output);
  const pageSize = options.pageSize ?? defaultPageSize;
  const pages = compiled ? queryPages(pool, compiled, pageSize) : tablePages(pool, tableId, pageSize);
  const readValues = (rows: PageRow[]): Promise<PageValues> =>
    valueColumns.length > 0
      ? pageValues(pool, valueColumns, rows)
      : Promise.resolve({ byColumn: new Map(), large: new Map() });
  for await (const [rows, { byColumn, large }] of withValuesAhead(pages, readValues)) {
    let text = '';
    for (const row of rows) {
      const rowKey = String(row.id);
      const largeColumns = large.get(rowKey);
      if (largeColumns) await readLargeValues(pool, largeColumns, rowKey, byColumn);
      text += csvRecordLine(slots, row.data ?? {}, byColumn, rowKey, cell, lineEnd);
      if (largeColumns) for (const id of largeColumns) delete byColumn.get(id)?.[rowKey];
      if (text.length > chunkChars) {
        yield text;
        text = '';
      }
    }
    counter.rows += rows.length;
    yield text;
    options.onRows?.(counter.rows);
  }
}

/**
 * Writes a table as CSV to `writable` (ended when done), streaming with backpressure.
 * @example await exportCsv(pool, table.id, createWriteStream('out.csv'), { bom: true })
 */
export async function exportCsv(
  pool: Pool,
  tableId: number,
  writable: Writable,
  options: ExportCsvOptions = {},
): Promise<ExportedCsv> {
  const counter: ExportedCsv = { rows: 0, columns: [] };
  await pipeline(
    Readable.from(csvExportChunks(pool, tableId, options, counter), { objectMode: false }),
    writable,
  );
  return counter;
}

/**
 * The CSV as a byte stream, for an HTTP reply. Resolves once the header is written, so a missing
 * table or a bad query is an error to answer with (a 404, a 400 naming the field) before any byte
 * is sent; a failure after that destroys the stream with the error.
 */
export async function exportCsvStream(
  pool: Pool,
  tableId: number,
  options: ExportCsvOptions = {},
): Promise<Readable> {
  const chunks = csvExportChunks(pool, tableId, options);
  const header = await chunks.next();
  return Readable.from(
    (async function* () {
      if (!header.done) yield header.value;
      yield* chunks;
    })(),
    { objectMode: false },
  );
}

/** The query of an export, compiled, or undefined for every row in position order. */
function compileExportQuery(
  tableId: number,
  output: readonly ExportColumn[],
  query: ExportCsvOptions['query'],
): CompiledQuery | undefined {
  if (!query) return undefined;
  const parsed = parseOrThrow(rowQuerySchema, { filter: query.filter, sort: query.sort, q: query.q });
  if (isPlainQuery(parsed)) return undefined;
  const columns = output.map(({ column }) => ({ id: column.id, name: column.name, kind: column.kind }));
  return compileQuery(tableId, columns, parsed);
}

/** The done values of a page's rows, a JSON object per column (see export-cells-range.sql). */
async function pageValues(
  pool: Pool,
  columnIds: readonly number[],
  rows: ReadonlyArray<{ id: number | string }>,
): Promise<PageValues> {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  const ids = rows.map((r) => {
    const id = Number(r.id);
    if (id < first) first = id;
    if (id > last) last = id;
    return id;
  });
  const byRange = last - first + 1 <= rangeSpread * ids.length;
  const { rows: columns } = await pool.query(
    byRange
      ? { ...csvStatements.exportCellsRange, values: [columnIds, first, last] }
      : { ...csvStatements.exportCellsIds, values: [columnIds, ids] },
  );
  const values: PageValues = { byColumn: new Map(), large: new Map() };
  type ColumnValues = {
    columnId: number | string;
    values: Record<string, unknown> | null;
    large: string[] | null;
  };
  for (const c of columns as ColumnValues[]) {
    const columnId = Number(c.columnId);
    values.byColumn.set(columnId, c.values ?? {});
    for (const rowId of c.large ?? []) {
      const key = String(rowId);
      const held = values.large.get(key);
      if (held) held.push(columnId);
      else values.large.set(key, [columnId]);
    }
  }
  return values;
}

/** One row's values over 64 KB, whole, put in `byColumn` for its line (a value no longer done stays out). */
async function readLargeValues(
  pool: Pool,
  columnIds: readonly number[],
  rowKey: string,
  byColumn: PageValues['byColumn'],
): Promise<void> {
  const { rows } = await pool.query({ ...csvStatements.exportLargeValues, values: [columnIds, rowKey] });
  for (const { columnId, value } of rows as { columnId: number | string; value: unknown }[]) {
    const values = byColumn.get(Number(columnId));
    if (values) values[rowKey] = value;
  }
}

/** What a record reads for each column, worked out once per export rather than once per row. */
interface RecordSlots {
  columns: Array<
    | { input: true; key: string }
    | { input: false; id: number; name: string; labels: readonly string[]; scalar: boolean }
  >;
  /** A record of one empty field is written `""` (see csvLine). */
  oneField: boolean;
}

function recordSlots(output: readonly ExportColumn[]): RecordSlots {
  return {
    columns: output.map(({ column, labels }) =>
      column.kind === 'input'
        ? { input: true as const, key: String(column.id) }
        : {
            input: false as const,
            id: column.id,
            name: column.name,
            labels,
            // A scalar (most values) fills its one `NAME` field without building an object.
            scalar: labels.length === 1 && labels[0] === column.name,
          },
    ),
    oneField: output.reduce((n, o) => n + o.labels.length, 0) === 1,
  };
}

/** One row as a CSV line, exactly `csvLine` of its fields, built without an array per row. */
function csvRecordLine(
  slots: RecordSlots,
  data: Record<string, unknown>,
  byColumn: PageValues['byColumn'],
  rowKey: string,
  cell: (text: string) => string,
  lineEnd: LineEnd,
): string {
  let line = '';
  let separator = '';
  for (const slot of slots.columns) {
    if (slot.input) {
      line += separator + csvField(cell(valueToText(data[slot.key])));
      separator = ',';
      continue;
    }
    // JSON has no undefined: a row absent from its column's object has no done value
    const value = byColumn.get(slot.id)?.[rowKey];
    if (value === undefined) {
      for (const _ of slot.labels) {
        line += separator;
        separator = ',';
      }
    } else if (slot.scalar && (value === null || typeof value !== 'object')) {
      line += separator + csvField(cell(valueToText(value)));
      separator = ',';
    } else {
      const flat = flattenValue(slot.name, value);
      for (const label of slot.labels) {
        line += separator + csvField(cell(flat[label] ?? ''));
        separator = ',';
      }
    }
  }
  return (line === '' && slots.oneField ? '""' : line) + lineEnd;
}

const asIs = (text: string) => text;
