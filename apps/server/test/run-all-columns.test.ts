import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * "Run all columns" and "Run this row" (POST /tables/:id/runs), and auto-run columns that re-run
 * their stale cells by themselves after an input edit, with a real worker.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer({ staleAutoRun: { quietMs: 200, maxWaitMs: 1_500 } });
  await server.startWorker();
});
afterAll(() => server.close());

async function call(method: 'POST' | 'GET' | 'PATCH', url: string, payload?: object) {
  const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: server.auth, payload });
  return { status: response.statusCode, body: response.json() };
}

async function addColumn(tableId: number, name: string, provider: string, config: object) {
  const added = await call('POST', `/tables/${tableId}/columns`, {
    name,
    kind: 'enrichment',
    provider,
    config,
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body.column.id as number;
}

/** The column's cells by row id: status and value. */
async function cells(columnId: number) {
  const { rows } = await server.db.pool.query(
    'select row_id::int as "rowId", status, value from cells where column_id = $1 order by row_id',
    [columnId],
  );
  return rows as Array<{ rowId: number; status: string; value: unknown }>;
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A table (Company, Email) with rows; Summary reads Domain, which reads Company: added in the wrong order on purpose. */
async function leadsTable(name: string, n: number) {
  const created = await call('POST', '/tables', { name, columns: ['Company', 'Email'] });
  const tableId = created.body.table.id as number;
  const added = await call('POST', `/tables/${tableId}/rows`, {
    rows: Array.from({ length: n }, (_, i) => ({ Company: `co${i}.example`, Email: `p${i}@co${i}.example` })),
  });
  return { tableId, rowIds: added.body.ids as number[] };
}

describe('POST /tables/:id/runs', { timeout: 90_000 }, () => {
  it('runs every enrichment column in dependency order: a column after the one it reads', async () => {
    const { tableId } = await leadsTable('All', 20);
    const summary = await addColumn(tableId, 'Summary', 'formula', { expression: 'Domain.input + "!"' });
    const domain = await addColumn(tableId, 'Domain', 'mock', { input: '{{Company}}', latencyMs: 30 });
    const email = await addColumn(tableId, 'Check', 'email', { input: '{{Email}}' });

    const started = await call('POST', `/tables/${tableId}/runs`, { scope: 'all' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    // Domain before Summary (it reads Domain); Check reads no column, so it keeps its table place
    expect(started.body.runs.map((r: { columnId: number }) => r.columnId)).toEqual([domain, email, summary]);
    expect(started.body.runs.every((r: { total: number }) => r.total === 20)).toBe(true);

    const finished = await waitFor(
      'summary cells',
      () => cells(summary),
      (rows) => rows.length === 20 && rows.every((r) => r.status === 'done'),
    );
    // every Summary cell read the Domain value of its own row, written before it ran
    expect(finished[0]?.value).toBe('co0.example!');
    expect(finished[19]?.value).toBe('co19.example!');
  });

  it('"Run this row" runs every column for one row only', async () => {
    const { tableId, rowIds } = await leadsTable('Row', 5);
    const domain = await addColumn(tableId, 'Domain', 'mock', { input: '{{Company}}' });
    const summary = await addColumn(tableId, 'Summary', 'formula', { expression: 'Domain.input' });
    const row = rowIds[2] as number;
    const started = await call('POST', `/tables/${tableId}/runs`, { scope: { rowIds: [row] } });
    expect(started.status).toBe(201);
    expect(started.body.runs.map((r: { total: number }) => r.total)).toEqual([1, 1]);
    await waitFor(
      'the row',
      () => cells(summary),
      (rows) => rows.length === 1 && rows[0]?.status === 'done',
    );
    expect((await cells(domain)).map((c) => c.rowId)).toEqual([row]);
    expect((await cells(summary))[0]).toMatchObject({ rowId: row, value: 'co2.example' });
  });

  it('names a row that is not in the table, and a bad scope, in plain words', async () => {
    const { tableId } = await leadsTable('Bad', 1);
    const other = await leadsTable('Other', 1);
    const foreign = await call('POST', `/tables/${tableId}/runs`, { scope: { rowIds: other.rowIds } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({
      path: 'scope.rowIds',
      message: expect.stringMatching(/is not a row/),
    });
    const bad = await call('POST', `/tables/${tableId}/runs`, {});
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ path: 'scope', message: 'Scope is required' });
  });
});

describe('auto-run columns and stale cells', { timeout: 90_000 }, () => {
  it('an input edit makes the cell stale, then the auto-run column re-runs it with the new value by itself', async () => {
    const { tableId, rowIds } = await leadsTable('Stale', 3);
    const auto = await addColumn(tableId, 'Auto', 'mock', { input: '{{Company}}', autoRun: true });
    const manual = await addColumn(tableId, 'Manual', 'mock', { input: '{{Company}}' });
    await call('POST', `/tables/${tableId}/runs`, { scope: 'all' });
    await waitFor(
      'first run',
      async () => [...(await cells(auto)), ...(await cells(manual))],
      (rows) => rows.length === 6 && rows.every((r) => r.status === 'done'),
    );
    const runsBefore = (await call('GET', `/tables/${tableId}/runs`)).body.runs.length;

    const row = rowIds[1] as number;
    const patched = await call('PATCH', `/tables/${tableId}/rows`, {
      rows: [{ id: row, values: { Company: 'renamed.example' } }],
    });
    expect(patched.body).toEqual({ updated: 1 });
    // stale at once (the PATCH's own statement), before the debounced run starts
    expect((await cells(auto)).find((c) => c.rowId === row)?.status).toBe('stale');

    const after = await waitFor(
      'the auto-run cell',
      async () => (await cells(auto)).find((c) => c.rowId === row),
      (cell) => cell?.status === 'done',
    );
    expect(after?.value).toMatchObject({ input: 'renamed.example' });
    // the manual column's cell stays stale until someone runs it with scope stale
    expect((await cells(manual)).find((c) => c.rowId === row)?.status).toBe('stale');
    const runs = (await call('GET', `/tables/${tableId}/runs`)).body.runs;
    expect(runs.length).toBe(runsBefore + 1);
    expect(runs[0]).toMatchObject({ columnId: auto, total: 1 });

    const stale = await call('POST', `/tables/${tableId}/columns/${manual}/runs`, { scope: 'stale' });
    expect(stale.body.run.total).toBe(1);
  });

  it('a burst of edits within a second starts one run, not one per edit', async () => {
    const { tableId, rowIds } = await leadsTable('Burst', 10);
    const auto = await addColumn(tableId, 'Auto', 'mock', { input: '{{Company}}', autoRun: true });
    await call('POST', `/tables/${tableId}/columns/${auto}/runs`, { scope: 'all' });
    await waitFor(
      'first run',
      () => cells(auto),
      (rows) => rows.length === 10 && rows.every((r) => r.status === 'done'),
    );
    for (const [i, id] of rowIds.entries()) {
      await call('PATCH', `/tables/${tableId}/rows`, {
        rows: [{ id, values: { Company: `new${i}.example` } }],
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = await waitFor(
      'every edited cell',
      () => cells(auto),
      (rows) =>
        rows.every((r) => r.status === 'done' && (r.value as { input: string }).input.startsWith('new')),
    );
    expect(done).toHaveLength(10);
    const runs = (await call('GET', `/tables/${tableId}/runs`)).body.runs;
    // the first run, then one re-run of all ten edited cells
    expect(runs.map((r: { total: number }) => r.total)).toEqual([10, 10]);
  });

  it('a CSV upsert that changes an input re-runs the auto-run cells it made stale', async () => {
    const { tableId } = await leadsTable('Upsert', 3);
    const auto = await addColumn(tableId, 'Auto', 'mock', { input: '{{Company}}', autoRun: true });
    await call('POST', `/tables/${tableId}/columns/${auto}/runs`, { scope: 'all' });
    await waitFor(
      'first run',
      () => cells(auto),
      (rows) => rows.length === 3 && rows.every((r) => r.status === 'done'),
    );
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${tableId}/import?key=Email`,
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: 'Email,Company\np1@co1.example,upserted.example\n',
    });
    expect(response.json()).toMatchObject({ updated: 1, stale: 1 });
    const done = await waitFor(
      'the upserted row',
      () => cells(auto),
      (rows) =>
        rows.some((r) => r.status === 'done' && (r.value as { input: string }).input === 'upserted.example'),
    );
    expect(done.filter((r) => r.status === 'done')).toHaveLength(3);
    const runs = (await call('GET', `/tables/${tableId}/runs`)).body.runs;
    expect(runs.map((r: { total: number }) => r.total)).toEqual([1, 3]);
  });
});
