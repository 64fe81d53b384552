import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, type SseEvent, type TestServer, testServer } from './helpers';

/** Deleting and restoring rows and columns over HTTP, as another viewer's event stream sees it. */
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => server.close());

async function request(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...server.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

/** Reads events until one satisfies `found`. */
async function until(events: Awaited<ReturnType<typeof openEvents>>, found: (event: SseEvent) => boolean) {
  for (;;) {
    const event = await events.next();
    if (found(event)) return event;
  }
}

async function table(rows: number) {
  const { body } = await request('POST', '/tables', { name: 'Restore', columns: ['email', 'notes'] });
  const tableId = body.table.id as number;
  const inserted = await request('POST', `/tables/${tableId}/rows`, {
    rows: Array.from({ length: rows }, (_, i) => ({ email: `p${i}@example.com`, notes: `n${i}` })),
  });
  return { tableId, rowIds: inserted.body.ids as number[] };
}

describe('restore routes', () => {
  it('a delete and a restore of rows reach another viewer: rowsDeleted, then the rows again', async () => {
    const { tableId, rowIds } = await table(3);
    const events = await openEvents(`${base}/tables/${tableId}/events`, server.auth);
    expect((await events.next()).event).toBe('ready');

    const gone = rowIds.slice(0, 2);
    expect(await request('DELETE', `/tables/${tableId}/rows`, { ids: gone })).toEqual({
      status: 200,
      body: { deleted: 2 },
    });
    const deleted = await until(events, (e) => e.event === 'rowsDeleted');
    expect(deleted.data).toEqual({ ids: gone });
    expect((await request('GET', `/tables/${tableId}`)).body.table.rowCount).toBe(1);

    expect(await request('POST', `/tables/${tableId}/rows/restore`, { ids: gone })).toEqual({
      status: 200,
      body: { restored: 2 },
    });
    const back = await until(
      events,
      (e) => e.event === 'changes' && (e.data as { rows: unknown[] }).rows.length > 0,
    );
    expect((back.data as { rows: { id: number }[] }).rows.map((r) => r.id).sort()).toEqual(gone);
    const page = await request('GET', `/tables/${tableId}/rows`);
    expect(page.body.rows.map((r: { id: number }) => r.id)).toEqual(rowIds);
    events.close();
  });

  it('a column comes back with a schema event; errors name what was wrong', async () => {
    const { tableId } = await table(2);
    const { body } = await request('GET', `/tables/${tableId}`);
    const notes = body.columns.find((c: { name: string }) => c.name === 'notes');
    const events = await openEvents(`${base}/tables/${tableId}/events`, server.auth);
    await events.next();

    expect((await request('DELETE', `/tables/${tableId}/columns/${notes.id}`)).status).toBe(204);
    await until(events, (e) => e.event === 'schema');
    const restored = await request('POST', `/tables/${tableId}/columns/${notes.id}/restore`);
    expect(restored).toMatchObject({ status: 200, body: { column: { id: notes.id, name: 'notes' } } });
    await until(events, (e) => e.event === 'schema');
    const rows = await request('GET', `/tables/${tableId}/rows`);
    expect(rows.body.rows.map((r: { values: Record<string, string> }) => r.values[notes.id])).toEqual([
      'n0',
      'n1',
    ]);
    events.close();

    const again = await request('POST', `/tables/${tableId}/columns/${notes.id}/restore`);
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(again.body.error.message).toBe(`deleted column ${notes.id} does not exist`);

    await request('DELETE', `/tables/${tableId}/columns/${notes.id}`);
    await request('POST', `/tables/${tableId}/columns`, { name: 'notes', kind: 'input' });
    const taken = await request('POST', `/tables/${tableId}/columns/${notes.id}/restore`);
    expect(taken).toMatchObject({ status: 409, body: { error: { path: 'name' } } });
    expect(taken.body.error.message).toContain('a column named "notes" was added since');

    const empty = await request('POST', `/tables/${tableId}/rows/restore`, { ids: [] });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', path: 'ids' } } });
  });
});
