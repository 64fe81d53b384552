import { Readable } from 'node:stream';
import type { TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addColumn,
  createTable,
  importCsv,
  insertRows,
  listColumns,
  startRun,
  updateRows,
} from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

async function rowsByEmail(tableId: number): Promise<Record<string, Record<string, unknown>>> {
  const columns = await listColumns(db.pool, tableId);
  const names = new Map(columns.map((c) => [String(c.id), c.name]));
  const { rows } = await db.pool.query('select data from rows where table_id = $1 order by position, id', [
    tableId,
  ]);
  const all = rows.map((r) =>
    Object.fromEntries(Object.entries(r.data).map(([id, v]) => [names.get(id), v])),
  );
  return Object.fromEntries(all.map((r, i) => [String(r.email ?? `blank-${i}`), r]));
}

async function statuses(columnId: number): Promise<Record<number, string>> {
  const { rows } = await db.pool.query('select row_id, status from cells where column_id = $1', [columnId]);
  return Object.fromEntries(rows.map((r) => [Number(r.row_id), r.status as string]));
}

describe('importCsv with a key (upsert)', () => {
  it('updates rows with a known key, appends the rest, counts each, and marks exactly the dependent cells stale', async () => {
    const table = await createTable(db.pool, {
      workspaceId,
      name: 'upsert',
      inputColumns: ['email', 'name', 'company'],
    });
    const [a, b, c] = (await insertRows(db.pool, table.id, [
      { email: 'a@x.com', name: 'Ann', company: 'A Inc' },
      { email: 'b@x.com', name: 'Bob', company: 'B Inc' },
      { email: 'c@x.com', name: 'Cy', company: 'C Inc' },
    ])) as [number, number, number];
    const add = (name: string, provider: string, config: Record<string, unknown>) =>
      addColumn(db.pool, builtinProviders, { tableId: table.id, name, kind: 'enrichment', provider, config });
    const check = await add('check', 'email', { input: '{{email}}' });
    const greet = await add('greet', 'mock', { input: '{{name}}' });
    const echo = await add('echo', 'mock', { input: '{{greet.input}}' }); // reads name through greet
    for (const column of [check, greet, echo]) {
      await db.pool.query(
        `insert into cells (table_id, row_id, column_id, status, value)
         select $1, id, $2, case when id = $3 then 'error' else 'done' end, '"v"' from rows where table_id = $1`,
        [table.id, column.id, c],
      );
    }
    const csv = [
      'email,name',
      'a@x.com,Annie', // name changed: greet and echo go stale, check does not
      'b@x.com,Bob', // same values: unchanged, nothing stale
      'c@x.com,', // name cleared: its cells are stale, the error one too
      'd@x.com,Dee', // new
      ',Nobody', // blank key: appended
      'a@x.com,Anna', // the same key again: the later line wins
    ].join('\n');
    const imported = await importCsv(db.pool, {
      tableId: table.id,
      workspaceId,
      key: 'email',
      providers: builtinProviders,
      stream: Readable.from([csv]),
    });
    expect({
      inserted: imported.rows,
      updated: imported.updated,
      unchanged: imported.unchanged,
      stale: imported.stale,
    }).toEqual({ inserted: 2, updated: 2, unchanged: 1, stale: 4 });

    const rows = await rowsByEmail(table.id);
    // company is not in the file: kept
    expect(rows['a@x.com']).toEqual({ email: 'a@x.com', name: 'Anna', company: 'A Inc' });
    expect(rows['b@x.com']).toEqual({ email: 'b@x.com', name: 'Bob', company: 'B Inc' });
    expect(rows['c@x.com']).toEqual({ email: 'c@x.com', company: 'C Inc' });
    expect(rows['d@x.com']).toEqual({ email: 'd@x.com', name: 'Dee' });
    expect(Object.keys(rows)).toHaveLength(5);

    expect(await statuses(check.id)).toEqual({ [a]: 'done', [b]: 'done', [c]: 'error' });
    expect(await statuses(greet.id)).toEqual({ [a]: 'stale', [b]: 'done', [c]: 'stale' });
    expect(await statuses(echo.id)).toEqual({ [a]: 'stale', [b]: 'done', [c]: 'stale' });

    // the run scope `stale` takes exactly those cells
    const run = await startRun(db.pool, { columnId: greet.id, scope: 'stale' });
    expect(run.total).toBe(2);
    const { rows: queued } = await db.pool.query(
      `select row_id from cells where column_id = $1 and status = 'queued' order by row_id`,
      [greet.id],
    );
    expect(queued.map((r) => Number(r.row_id))).toEqual([a, c]);
    expect((await startRun(db.pool, { columnId: check.id, scope: 'stale' })).total).toBe(0);
  });

  it('refuses a key the file does not have, and a key on a new table, naming the key', async () => {
    const table = await createTable(db.pool, {
      workspaceId,
      name: 'keyless',
      inputColumns: ['email', 'name'],
    });
    const attempt = (options: { tableId?: number }) =>
      importCsv(db.pool, {
        ...options,
        workspaceId,
        key: 'email',
        providers: builtinProviders,
        stream: Readable.from(['name\nAnn\n']),
      });
    await expect(attempt({ tableId: table.id })).rejects.toMatchObject({
      code: 'validation_failed',
      path: 'key',
      message: expect.stringMatching(/no column "email" to match rows by/),
    });
    await expect(attempt({})).rejects.toMatchObject({ code: 'validation_failed', path: 'key' });
  });
});

describe('updateRows with providers (an edit in the grid or PATCH /rows)', () => {
  it('marks exactly the cells computed from a changed input stale, directly or through another column', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'edit', inputColumns: ['email', 'name'] });
    const [a, b] = (await insertRows(db.pool, table.id, [
      { email: 'a@x.com', name: 'Ann' },
      { email: 'b@x.com', name: 'Bob' },
    ])) as [number, number];
    const add = (name: string, provider: string, config: Record<string, unknown>) =>
      addColumn(db.pool, builtinProviders, { tableId: table.id, name, kind: 'enrichment', provider, config });
    const check = await add('check', 'email', { input: '{{email}}' });
    const greet = await add('greet', 'mock', { input: '{{name}}' });
    const echo = await add('echo', 'mock', { input: '{{greet.input}}' });
    for (const column of [check, greet, echo]) {
      await db.pool.query(
        `insert into cells (table_id, row_id, column_id, status, value)
         select $1, id, $2, 'done', '"v"' from rows where table_id = $1`,
        [table.id, column.id],
      );
    }
    const updated = await updateRows(
      db.pool,
      table.id,
      [
        { id: a, values: { name: 'Annie' } }, // changed: greet and echo go stale
        { id: b, values: { name: 'Bob' } }, // same value: nothing goes stale
      ],
      { providers: builtinProviders },
    );
    expect(updated).toBe(2);
    expect(await statuses(check.id)).toEqual({ [a]: 'done', [b]: 'done' });
    expect(await statuses(greet.id)).toEqual({ [a]: 'stale', [b]: 'done' });
    expect(await statuses(echo.id)).toEqual({ [a]: 'stale', [b]: 'done' });

    await updateRows(db.pool, table.id, [{ id: b, values: { email: 'bob@x.com' } }]); // no providers: no staleness
    expect(await statuses(check.id)).toEqual({ [a]: 'done', [b]: 'done' });
    const run = await startRun(db.pool, { columnId: greet.id, scope: 'stale' });
    expect(run.total).toBe(1);
  });
});
