import type { Readable } from 'node:stream';
import { type AnyProvider, AppError, notFound, quoteInput } from '@glaze/core';
import { type Pool, type PoolClient, withTransaction } from '@glaze/db';
import { insertTable, type TableInfo } from '../tables/create-table';
import { appendRows } from './append-rows';
import { type IdRange, idRanges } from './id-ranges';
import { type ImportIdempotency, keepImportKey } from './keyed-imports';
import { type CsvRecord, checkHeader, emptyCsv, readCsvBatches } from './read-csv';
import { stageRows } from './stage-rows';
import { csvStatements } from './statements';
import { upsertStaged } from './upsert-staged';

export interface ImportCsvOptions {
  /** The CSV bytes: a file, an HTTP request body… Not closed here; the caller owns it. */
  stream: Readable;
  /** Append to this table: headers must name its input columns (some may be left out). */
  tableId?: number;
  /** The workspace of a new table; with `tableId`, the table must belong to it. */
  workspaceId?: number;
  /** Name of the new table (when no `tableId`). */
  name?: string;
  /** Rows per write into the COPY stream (default 2,000). */
  batchSize?: number;
  /**
   * Upsert by this input column (with `tableId`): a line whose value there a row already holds
   * updates that row, the others are appended; cells computed from changed inputs become `stale`.
   */
  key?: string;
  /** The providers, to find which columns read a changed input (needed with `key`). */
  providers?: ReadonlyMap<string, AnyProvider>;
  /**
   * An `Idempotency-Key`: kept with the import's answer in its transaction (csv/keyed-imports.ts);
   * an import that already kept it fails with 23505 and leaves nothing behind.
   */
  idempotency?: ImportIdempotency;
}

export interface ImportedCsv {
  table: TableInfo;
  /** Rows added. */
  rows: number;
  /**
   * The ids of the rows added, as ascending ranges of consecutive ids (usually one), so a 100,000-row import never holds 100,000 ids. Read them with `idPages`,
   * e.g. to start the table's auto-run columns on the new rows.
   */
  rowIds: IdRange[];
  /** Header names, in file order. */
  columns: string[];
  /** With `key`: rows updated, rows matched but already equal, cells marked stale. */
  updated?: number;
  unchanged?: number;
  stale?: number;
}

/**
 * Imports a CSV as rows, streaming: the header names the input columns (a new table gets one per
 * header); a new table's rows are streamed by COPY straight into it (append-rows.ts), an existing
 * table's into a temporary table (stage-rows.ts), then appended in one statement (or upserted by
 * key). All in one transaction, the new table's own row included: a bad line 90,000, an upload cut
 * off or a process killed mid-way leaves an existing table untouched and no new table, so a failed
 * import never leaves half a list (or an empty one); a slow upload never holds an existing table's lock.
 * Blank fields are stored as absent values.
 * @example await importCsv(pool, { workspaceId: 1, name: 'leads', stream: createReadStream('leads.csv') })
 */
export async function importCsv(pool: Pool, options: ImportCsvOptions): Promise<ImportedCsv> {
  const batches = readCsvBatches(options.stream);
  try {
    const first = await batches.next();
    if (first.done) throw emptyCsv();
    const [head, ...rest] = first.value as [CsvRecord, ...CsvRecord[]];
    const header = checkHeader(head.fields);
    const records = (async function* () {
      if (rest.length > 0) yield rest;
      yield* batches;
    })();
    // One transaction from the new table's row to its last row: a bad line 90,000, a dropped upload
    // or a process killed mid-way leaves no table behind, and an existing table untouched.
    const { table, rows, rowIds, merged } = await withTransaction(pool, async (client) => {
      const imported = await importRows(client, options, header, head.fields, records);
      if (options.idempotency) {
        await keepImportKey(client, options.idempotency, {
          tableId: imported.table.id,
          rows: imported.rows,
          ...mergedCounts(imported.merged),
        });
      }
      return imported;
    });
    return {
      table,
      rows,
      rowIds,
      columns: header,
      ...mergedCounts(merged),
    };
  } finally {
    await batches.return(undefined);
  }
}

/** An upsert's counts, as the answer gives them; nothing for a plain append. */
function mergedCounts(merged: { updated: number; unchanged: number; stale: number } | undefined) {
  return merged ? { updated: merged.updated, unchanged: merged.unchanged, stale: merged.stale } : {};
}

/**
 * The import's writes, in its transaction: a new table and its rows, or an existing table's rows
 * staged then appended (or upserted by key), each owed to the table's auto-run columns.
 */
async function importRows(
  client: PoolClient,
  options: ImportCsvOptions,
  header: string[],
  headFields: readonly string[],
  records: AsyncIterable<CsvRecord[]>,
) {
  const created = options.tableId === undefined;
  const table = created
    ? await newTable(client, options, header, headFields)
    : await existingTable(client, options.tableId as number, options.workspaceId);
  const columnIds = await inputColumnIds(client, table.id, header);
  const upsert = upsertKey(options, header, columnIds);
  if (created) {
    // nobody has a new table open: its rows go straight in (append-rows.ts)
    const appended = await appendRows(client, table.id, records, header, columnIds, options.batchSize);
    return { table, rows: appended.inserted, rowIds: appended.rowIds };
  }
  // An existing table's rows are staged first and copied at the end: it may be open in a
  // browser with runs in flight, and the change feed waits for the table's lock, which the
  // copy takes; so the lock lasts as long as the copy, not the upload.
  await stageRows(client, records, header, columnIds, options.batchSize);
  if (upsert) {
    const merged = await upsertStaged(client, table.id, { ...upsert, fileColumnIds: columnIds });
    await oweAutoRun(client, table.id, merged.rowIds);
    return { table, rows: merged.inserted, rowIds: merged.rowIds, merged };
  }
  // The planner's cost of a million-row insert turns on JIT: 0.4 s of compiling for a plan
  // that moves rows, computes nothing per row worth compiling (EXPLAIN ANALYZE at 1M rows).
  await client.query('set local jit = off');
  const { rows: result } = await client.query({ ...csvStatements.insertStaged, values: [table.id] });
  const rowIds = idRanges(result[0].ranges);
  await oweAutoRun(client, table.id, rowIds);
  return { table, rows: result[0].inserted as number, rowIds };
}

/**
 * Records appended rows as owed to the table's auto-run columns in the import's transaction
 * (migration 042): the runs start after it commits, and a server killed in between lost them.
 */
async function oweAutoRun(client: PoolClient, tableId: number, rowIds: readonly IdRange[]): Promise<void> {
  if (rowIds.length === 0) return;
  const from = rowIds.reduce((least, range) => Math.min(least, range.first), Number.POSITIVE_INFINITY);
  const to = rowIds.reduce((most, range) => Math.max(most, range.last), 0);
  await client.query('select glaze_owe_auto_run($1, $2, $3)', [tableId, from, to]);
}

/** The key column of an upsert, checked: an input column of the table that the file has. */
function upsertKey(options: ImportCsvOptions, header: readonly string[], columnIds: readonly string[]) {
  if (options.key === undefined) return undefined;
  if (options.tableId === undefined) {
    throw new AppError(
      'validation_failed',
      'an upsert by key needs an existing table to match rows in',
      'key',
    );
  }
  const index = header.indexOf(options.key.trim());
  if (index === -1) {
    throw new AppError(
      'validation_failed',
      `the CSV has no column ${quoteInput(options.key)} to match rows by; its header: ${header.join(', ')}`,
      'key',
    );
  }
  if (!options.providers) throw new Error('importCsv: an upsert by key needs options.providers');
  return { keyColumnId: columnIds[index] as string, providers: options.providers };
}

async function newTable(
  client: PoolClient,
  options: ImportCsvOptions,
  header: string[],
  spelled: readonly string[],
): Promise<TableInfo> {
  if (options.workspaceId === undefined) {
    throw new AppError('validation_failed', 'a new table needs a workspace (or give tableId)', 'workspaceId');
  }
  const table = await insertTable(client, {
    workspaceId: options.workspaceId,
    name: options.name ?? 'Imported CSV',
    inputColumns: header,
  });
  // Column names are stored trimmed (templates and the API find them that way); a header spelled
  // with spaces, e.g. " Notes ", keeps its spelling in config.csvHeader for the export (a blank one
  // is exported by the name it was given, `Column 2`).
  await client.query(
    `update columns c set config = c.config || jsonb_build_object('csvHeader', u.spelled)
     from unnest($2::text[], $3::text[]) as u(name, spelled)
     where c.table_id = $1 and c.kind = 'input' and c.name = u.name and u.name <> u.spelled
       and btrim(u.spelled) <> ''`,
    [table.id, header, spelled],
  );
  return table;
}

async function existingTable(
  client: PoolClient,
  tableId: number,
  workspaceId: number | undefined,
): Promise<TableInfo> {
  const { rows } = await client.query(
    `select id, workspace_id as "workspaceId", name, created_at as "createdAt" from tables
     where id = $1 and ($2::bigint is null or workspace_id = $2)`,
    [tableId, workspaceId ?? null],
  );
  if (!rows[0]) throw notFound('table', tableId);
  return rows[0] as TableInfo;
}

/** Column id (as a row-data key) for each header field; headers that are not input columns are refused. */
async function inputColumnIds(
  client: PoolClient,
  tableId: number,
  header: readonly string[],
): Promise<string[]> {
  const { rows } = await client.query(
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
