import { randomBytes } from 'node:crypto';
import {
  type Cell,
  type CellChange,
  type Column,
  cellChangeSchema,
  columnSchema,
  type decodeFeedCell,
  type FeedCell,
  type FeedFrame,
  feedCellSchema,
  type Row,
  type RowChange,
  type RowPage,
  type Run,
  type RunChange,
  rowChangeSchema,
  rowPageReply,
  runChangeSchema,
  runSchema,
  type SecretName,
  secretNameSchema,
  type Table,
  tableSchema,
  type Workspace,
} from '@glaze/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  type CellOutcome,
  type ChangeBatch,
  type createWorkspace,
  type getRun,
  getTable,
  listColumns,
  listRuns,
  listSecretNames,
  listTables,
  readChanges,
  readRows,
  recordChange,
  setSecret,
  startRun,
  type WireCell,
} from '../src/index';
import type { CellRunResult } from '../src/worker/run-cell';
import { decodeCells, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

/**
 * The engine's results are the API's shapes: the types are checked by `tsc` (`npm run lint`
 * compiles this file, and `expectTypeOf(...).toEqualTypeOf` does not compile when they differ), the
 * values by parsing what the engine returns from a real database with the API's zod schemas — a
 * field the schema does not know is stripped, so `parse(x)` no longer equals `x`, and a Date where
 * the API promises an ISO string fails the parse.
 */

describe('engine results have the API types', () => {
  it('tables, columns, rows, runs and workspaces', () => {
    expectTypeOf<Awaited<ReturnType<typeof getTable>>>().toEqualTypeOf<Table | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof listTables>>>().toEqualTypeOf<Table[]>();
    expectTypeOf<Awaited<ReturnType<typeof listColumns>>>().toEqualTypeOf<Column[]>();
    expectTypeOf<Awaited<ReturnType<typeof readRows>>>().toEqualTypeOf<RowPage>();
    expectTypeOf<RowPage['rows'][number]>().toEqualTypeOf<Row>();
    expectTypeOf<Row['cells'][string]>().toEqualTypeOf<Cell>();
    expectTypeOf<Awaited<ReturnType<typeof getRun>>>().toEqualTypeOf<Run | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof listRuns>>>().toEqualTypeOf<Run[]>();
    expectTypeOf<Awaited<ReturnType<typeof createWorkspace>>>().toEqualTypeOf<Workspace>();
    expectTypeOf<Awaited<ReturnType<typeof listSecretNames>>>().toEqualTypeOf<SecretName[]>();
    expectTypeOf<Table>().toEqualTypeOf<z.infer<typeof tableSchema>>();
    expectTypeOf<Run>().toEqualTypeOf<z.infer<typeof runSchema>>();
  });

  it('the change feed: a batch holds what the `changes` frame sends', () => {
    type Changes = FeedFrame<'changes'>;
    // cells travel as `FeedCell` texts (checked at run time below), the API's CellChange once decoded
    expectTypeOf<ChangeBatch['cells'][number]>().toEqualTypeOf<WireCell>();
    expectTypeOf<Changes['cells'][number]>().toEqualTypeOf<FeedCell>();
    expectTypeOf<FeedFrame<'progress'>['cells'][number]>().toEqualTypeOf<FeedCell>();
    expectTypeOf<ReturnType<typeof decodeFeedCell>>().toEqualTypeOf<CellChange>();
    expectTypeOf<ChangeBatch['runs']>().toEqualTypeOf<Changes['runs']>();
    expectTypeOf<ChangeBatch['rows']>().toEqualTypeOf<Changes['rows']>();
    expectTypeOf<Changes['runs'][number]>().toEqualTypeOf<RunChange>();
    expectTypeOf<Changes['rows'][number]>().toEqualTypeOf<RowChange>();
  });

  it('a cell outcome is a cell run result with its key', () => {
    expectTypeOf<CellOutcome>().toExtend<CellRunResult>();
    expectTypeOf<
      Omit<CellOutcome, 'columnId' | 'rowId' | 'chunkId' | 'attempt' | 'startedAt'>
    >().toEqualTypeOf<CellRunResult>();
  });
});

const db = useTestDatabase();

/** Parses with the API schema and expects nothing stripped, coerced or refused. */
function expectShape(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues).toBeUndefined();
  expect(parsed.data).toEqual(value);
}

describe('engine results have the API shapes at run time', () => {
  it('a table, its columns, a page of rows, a run and the change feed after a run', async () => {
    const { workspaceId, table, column } = await seedTable(db, { rows: 3 });
    const worker = await startTestWorker(db);
    try {
      const started = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      expect(await waitForRun(db, started.id)).toBe('done');
    } finally {
      await worker.stop();
    }
    await recordChange(db.pool, table.id, 'schema');

    expectShape(tableSchema, await getTable(db.pool, table.id, workspaceId));
    for (const listed of await listTables(db.pool, workspaceId)) expectShape(tableSchema, listed);
    const columns = await listColumns(db.pool, table.id);
    expect(columns).toHaveLength(2);
    for (const listed of columns) expectShape(columnSchema, listed);

    const page = await readRows(db.pool, { tableId: table.id });
    expect(Object.keys(page.rows[0]?.cells ?? {})).toEqual([String(column.id)]);
    expectShape(rowPageReply, page);

    const runs = await listRuns(db.pool, { tableId: table.id, workspaceId });
    expect(runs).toHaveLength(1);
    expectShape(runSchema, runs[0]);

    const { batch } = await readChanges(db.pool, table.id, 0);
    expect(batch.cells).toHaveLength(3);
    expect(batch.runs.length).toBeGreaterThan(0);
    expect(batch.rows).toHaveLength(3);
    for (const cell of batch.cells) {
      const sent = JSON.parse(cell.text);
      expectShape(feedCellSchema, sent);
      expect([sent[0], sent[1]]).toEqual([cell.seq, cell.rowId]);
    }
    for (const cell of decodeCells(batch.cells)) expectShape(cellChangeSchema, cell);
    // The feed writes a cell in its own SQL (glaze_feed_cell), a page in another: the same cell
    // reads the same in both, to the millisecond.
    for (const { rowId, columnId, ...cell } of decodeCells(batch.cells)) {
      const row = page.rows.find((candidate) => candidate.id === rowId);
      expect(cell).toEqual(row?.cells[String(columnId)]);
    }
    for (const run of batch.runs) expectShape(runChangeSchema, run);
    for (const row of batch.rows) expectShape(rowChangeSchema, row);

    await setSecret(db.pool, randomBytes(32), { workspaceId, name: 'API_KEY', value: 'secret' });
    const secrets = await listSecretNames(db.pool, workspaceId);
    expect(secrets.map((secret) => secret.name)).toEqual(['API_KEY']);
    for (const secret of secrets) expectShape(secretNameSchema, secret);
  });
});
