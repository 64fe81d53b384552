import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv, openEvents, type TestServer, testServer } from './helpers';

/** Over a real socket: import a CSV, add a mock column, run it and watch every cell fill in over SSE. */
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
  await server.startWorker();
});
afterAll(() => server.close());

async function request(method: string, path: string, body?: unknown, type = 'application/json') {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...server.auth, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

interface Cell {
  id: number;
  rowId: number;
  status: string;
  value: { input: string } | null;
  seq: number;
}

describe('end to end over HTTP and SSE', () => {
  it('imports, adds a column, runs it and streams every cell to done', async () => {
    const rows = 200;
    const imported = await request('POST', '/tables/import?name=Leads', leadsCsv(rows), 'text/csv');
    expect(imported.status).toBe(201);
    const tableId = imported.body.table.id;
    const added = await request('POST', `/tables/${tableId}/columns`, {
      name: 'Check',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}', latencyMs: 100 },
    });
    expect(added.status).toBe(201);
    const columnId = added.body.column.id;

    const events = await openEvents(`${base}/tables/${tableId}/events`, server.auth);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.response.headers.get('x-accel-buffering')).toBe('no');
    expect(events.response.headers.get('cache-control')).toMatch(/no-cache/);
    const ready = await events.next();
    expect(ready.event).toBe('ready');

    const started = await request('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope: 'all' });
    expect(started.status).toBe(201);
    const runId = started.body.run.id;

    const cells = new Map<number, Cell>();
    const statuses = new Set<string>();
    let lastId = Number(ready.id);
    let finished = false;
    while (!finished) {
      const event = await events.next(15_000);
      if (event.event !== 'changes') continue;
      expect(Number(event.id)).toBeGreaterThan(lastId);
      lastId = Number(event.id);
      const data = event.data as { cells: Cell[]; runs: { id: number; status: string }[] };
      for (const cell of data.cells) {
        statuses.add(cell.status);
        const known = cells.get(cell.id);
        if (!known || known.seq < cell.seq) cells.set(cell.id, cell);
      }
      finished = data.runs.some((run) => run.id === runId && run.status === 'done');
    }
    events.close();

    expect(cells.size).toBe(rows);
    // Cells go queued → running → done. The feed sends each cell's latest state when the client
    // reads, so a slow reader (a loaded machine) may see a cell only once it is done; what it must
    // see is some cell before it is done, and nothing but those three states.
    expect(statuses).toContain('done');
    expect(statuses.has('queued') || statuses.has('running')).toBe(true);
    expect([...statuses].every((status) => ['queued', 'running', 'done'].includes(status))).toBe(true);
    const byRow = new Map([...cells.values()].map((cell) => [cell.rowId, cell]));
    const page = await request('GET', `/tables/${tableId}/rows?limit=1000`);
    const emailColumn = (await request('GET', `/tables/${tableId}`)).body.columns.find(
      (c: { name: string }) => c.name === 'email',
    ).id;
    for (const row of page.body.rows) {
      const streamed = byRow.get(row.id);
      expect(streamed?.status).toBe('done');
      expect(streamed?.value?.input).toBe(row.values[emailColumn]);
      expect(row.cells[columnId]).toMatchObject({ status: 'done', seq: streamed?.seq });
    }
    const run = await request('GET', `/runs/${runId}`);
    expect(run.body.run).toMatchObject({ status: 'done', counts: { done: rows, queued: 0, running: 0 } });
  });
});
