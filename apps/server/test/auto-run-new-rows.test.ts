import { afterAll, beforeAll, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

async function call(method: 'POST' | 'GET', url: string, payload?: object) {
  const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: server.auth, payload });
  return { status: response.statusCode, body: response.json() };
}

/** A table (name, email) with an auto-run column and a plain one, both mock. */
async function tableWithAutoColumn(name: string) {
  const { body } = await call('POST', '/tables', { name, columns: ['name', 'email'] });
  const tableId = body.table.id as number;
  const auto = await call('POST', `/tables/${tableId}/columns`, {
    name: 'Auto',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{email}}', autoRun: true },
  });
  const manual = await call('POST', `/tables/${tableId}/columns`, {
    name: 'Manual',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{email}}' },
  });
  expect([auto.status, manual.status]).toEqual([201, 201]);
  return { tableId, autoId: auto.body.column.id as number, manualId: manual.body.column.id as number };
}

/** Tables' rows still owed their auto-run columns' runs (migration 042). */
async function owed(tableId: number): Promise<number> {
  const { rows } = await server.db.pool.query(
    'select count(*)::int as n from auto_run_owed where table_id = $1',
    [tableId],
  );
  return rows[0].n;
}

/** Row ids with a queued (or already finished) cell of the column, in id order. */
async function rowsWithCells(columnId: number): Promise<number[]> {
  const { rows } = await server.db.pool.query(
    'select row_id::int as id from cells where column_id = $1 order by row_id',
    [columnId],
  );
  return rows.map((r) => r.id);
}

it('POST /tables/:id/rows queues the auto-run column for the new rows, and no other column', async () => {
  const { tableId, autoId, manualId } = await tableWithAutoColumn('Rows');
  const added = await call('POST', `/tables/${tableId}/rows`, {
    rows: [
      { name: 'Ada', email: 'ada@example.com' },
      { name: 'Bo', email: 'bo@example.com' },
    ],
  });
  expect(added.status).toBe(201);
  expect(await rowsWithCells(autoId)).toEqual(added.body.ids);
  expect(await rowsWithCells(manualId)).toEqual([]);
  const { body } = await call('GET', `/tables/${tableId}/runs`);
  expect(body.runs).toEqual([expect.objectContaining({ columnId: autoId, total: 2 })]);
  expect(await owed(tableId)).toBe(0); // started: nothing left for the reconciler
});

it('a CSV appended to a table queues the auto-run column for exactly the appended rows', async () => {
  const { tableId, autoId, manualId } = await tableWithAutoColumn('Csv');
  const before = await call('POST', `/tables/${tableId}/rows`, { rows: [{ name: 'Old', email: 'o@x.io' }] });
  const appended = await server.app.inject({
    method: 'POST',
    url: `/api/v1/tables/${tableId}/import`,
    headers: { ...server.auth, 'content-type': 'text/csv' },
    payload: leadsCsv(2_500), // more than one insert batch (2,000 rows)
  });
  expect(appended.statusCode).toBe(200);
  expect(appended.json()).toEqual({ rows: 2_500 });
  const { rows } = await server.db.pool.query(
    'select id::int from rows where table_id = $1 and id <> $2 order by id',
    [tableId, before.body.ids[0]],
  );
  const queued = await rowsWithCells(autoId);
  expect(queued).toHaveLength(2_501);
  expect(queued.slice(1)).toEqual(rows.map((r) => r.id));
  expect(await rowsWithCells(manualId)).toEqual([]);
  expect(await owed(tableId)).toBe(0);
});
