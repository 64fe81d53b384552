import type { AddressInfo } from 'node:net';
import { type RealtimeSnapshot, useRealtimeEnrichment } from '@glaze/react';
import { createElement } from 'react';
import { act, create, type ReactTestRenderer } from 'react-test-renderer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

/**
 * `@glaze/react`'s hook in a React 18 tree against a real server, worker and Postgres: it holds the
 * rows asked for and no others, follows a run cell by cell to its end, and after the connection
 * drops mid-run it resumes with Last-Event-ID — no reload, no change missed.
 */
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let server: TestServer;
let base: string;
const requests: Array<{ url: string; lastEventId: string | null }> = [];
const realFetch = globalThis.fetch;
let unmount: (() => Promise<void> | void) | undefined;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
  await server.startWorker();
  // @glaze/client (under the hook) calls fetch with a Request; a URL and init are read the same way.
  globalThis.fetch = (input, init) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, lastEventId: request.headers.get('last-event-id') });
    return realFetch(request);
  };
});
afterAll(async () => {
  await unmount?.(); // a failed test must not leave the hook reconnecting while the server closes
  globalThis.fetch = realFetch;
  await server.close();
});

async function post(path: string, body: unknown, type = 'application/json') {
  const response = await realFetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...server.auth, 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return response.json();
}

/** A component that only calls the hook and hands each render's snapshot to `seen`. */
function Probe(props: { tableId: number; limit: number; seen: (snapshot: RealtimeSnapshot) => void }) {
  props.seen(
    useRealtimeEnrichment(props.tableId, {
      baseUrl: base,
      token: server.auth.authorization.slice('Bearer '.length),
      rows: { limit: props.limit },
      retryDelayMs: () => 50,
    }),
  );
  return null;
}

/** Renders the hook; `latest()` is what the component saw on its last render. */
async function renderHook(tableId: number, limit: number) {
  let snapshot: RealtimeSnapshot | undefined;
  let renderer: ReactTestRenderer | undefined;
  await act(async () => {
    renderer = create(createElement(Probe, { tableId, limit, seen: (seen) => (snapshot = seen) }));
  });
  current = () => snapshot as RealtimeSnapshot;
  unmount = async () => {
    await act(async () => renderer?.unmount());
  };
  return { latest: current };
}

let current: (() => RealtimeSnapshot) | undefined;
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await act(() => new Promise((r) => setTimeout(r, 20)));
  if (ok()) return;
  const { status, error, loaded, rows, lastSeq } = current?.() ?? ({} as Partial<RealtimeSnapshot>);
  throw new Error(
    `never: ${what} (${JSON.stringify({ status, error, loaded, rows: rows?.length, lastSeq })})`,
  );
}

describe('useRealtimeEnrichment', () => {
  it('holds the rows asked for, follows a run, and resumes after a drop without a gap', async () => {
    const { table } = await post('/tables/import?name=Hook', leadsCsv(40), 'text/csv');
    const { column } = await post(`/tables/${table.id}/columns`, {
      name: 'Slow',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}', latencyMs: 100, jitterMs: 300 },
    });
    const hook = await renderHook(table.id, 10);
    await until('loaded and live', () => hook.latest().loaded && hook.latest().status === 'live');
    expect(hook.latest().rows).toHaveLength(10);
    expect(Object.values(hook.latest().rows[0]?.values ?? {})).toContain('Lead 1');
    expect(hook.latest().rows.every((row) => row.cells[column.id]?.status !== 'done')).toBe(true);
    const loads = () => requests.filter((r) => r.url.includes('/rows?')).length;
    const loadsBefore = loads();

    const { run } = await post(`/tables/${table.id}/columns/${column.id}/runs`, { scope: 'all' });
    const held = () => hook.latest().rows.map((row) => row.cells[column.id]);
    await until('a held cell done', () => held().some((cell) => cell?.status === 'done'));
    expect(hook.latest().runs.get(run.id)).toMatchObject({ total: 40, status: 'running' });
    // Every connection dropped mid-run, as a network change would.
    server.app.server.closeAllConnections();
    await until('reconnected and the run over', () => hook.latest().runs.get(run.id)?.status === 'done');
    await until('every held cell done', () => held().every((cell) => cell?.status === 'done'));

    const resumed = requests.filter((r) => r.url.includes('/events') && r.lastEventId !== null);
    expect(resumed.length).toBeGreaterThan(0);
    expect(loads()).toBe(loadsBefore); // resumed from the stream, not reloaded
    expect(hook.latest().runs.get(run.id)).toMatchObject({ finished: 40, total: 40 });
    expect(hook.latest().rows).toHaveLength(10); // only the rows asked for, whatever the run wrote
    // What the hook holds is what the server holds: no change was missed while it was away.
    const page = await (
      await realFetch(`${base}/tables/${table.id}/rows?limit=10`, { headers: server.auth })
    ).json();
    expect(
      hook.latest().rows.map((row) => [row.id, row.cells[column.id]?.seq, row.cells[column.id]?.value]),
    ).toEqual(
      page.rows.map((row: { id: number; cells: Record<string, { seq: number; value: unknown }> }) => [
        row.id,
        row.cells[column.id]?.seq,
        row.cells[column.id]?.value,
      ]),
    );
    await unmount?.();
  });

  it('stops with the field named when the rows asked for are refused', async () => {
    const { table } = await post('/tables/import?name=TooMany', leadsCsv(3), 'text/csv');
    const hook = await renderHook(table.id, 5000);
    await until('offline', () => hook.latest().status === 'offline');
    expect(hook.latest().error).toMatch(/Limit must be at most 1000/);
    expect(hook.latest().rows).toEqual([]);
    await unmount?.();
  });
});
