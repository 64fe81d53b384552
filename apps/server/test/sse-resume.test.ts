import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv, openEvents, type SseEvent, type TestServer, testServer } from './helpers';

/**
 * A client that drops mid-run and comes back with Last-Event-ID gets every change it missed, in
 * order, and none twice: its two connections together equal one client that never dropped.
 */
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
  await server.startWorker();
});
afterAll(() => server.close());

async function post(path: string, body: unknown, type = 'application/json') {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...server.auth, 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return response.json();
}

interface Change {
  cells: { id: number; status: string; seq: number }[];
  runs: { id: number; status: string; seq: number }[];
}

/** Reads `changes` events until `stop` says so; returns them with their ids. */
async function readChanges(
  events: Awaited<ReturnType<typeof openEvents>>,
  stop: (event: SseEvent) => boolean,
) {
  const seen: SseEvent[] = [];
  for (;;) {
    const event = await events.next(15_000);
    if (event.event === 'changes') seen.push(event);
    if (stop(event)) return seen;
  }
}

const runDone = (runId: number) => (event: SseEvent) =>
  event.event === 'changes' &&
  (event.data as Change).runs.some((r) => r.id === runId && r.status !== 'running');
const keys = (events: SseEvent[]) =>
  events.flatMap((e) => (e.data as Change).cells.map((c) => `${c.id}@${c.seq}`));

describe('resuming the event stream', () => {
  it('after a disconnect mid-run, Last-Event-ID brings every missed change once, in order', async () => {
    const { table } = await post('/tables/import?name=Resume', leadsCsv(300), 'text/csv');
    const { column } = await post(`/tables/${table.id}/columns`, {
      name: 'Slow',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}', latencyMs: 150, jitterMs: 400 },
    });
    const steady = await openEvents(`${base}/tables/${table.id}/events`, server.auth);
    const dropping = await openEvents(`${base}/tables/${table.id}/events`, server.auth);
    expect((await steady.next()).event).toBe('ready');
    expect((await dropping.next()).event).toBe('ready');
    const { run } = await post(`/tables/${table.id}/columns/${column.id}/runs`, { scope: 'all' });
    const started = Date.now();

    // The dropping client reads until some cells are done, then hangs up mid-run.
    const before = await readChanges(dropping, (event) =>
      (event.data as Change).cells?.some((c) => c.status === 'done'),
    );
    dropping.close();
    const lastEventId = before.at(-1)?.id as string;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const runNow = await (await fetch(`${base}/runs/${run.id}`, { headers: server.auth })).json();
    expect(runNow.run.status).toBe('running'); // it really dropped mid-run

    const resumed = await openEvents(`${base}/tables/${table.id}/events`, {
      ...server.auth,
      'last-event-id': lastEventId,
    });
    const ready = await resumed.next();
    expect(ready).toMatchObject({ event: 'ready', id: lastEventId });
    const after = await readChanges(resumed, runDone(run.id));
    resumed.close();
    // The steady client reads as far as the resumed one got (a catch-up batch may reach past the run's end).
    const end = Number(after.at(-1)?.id);
    const all = await readChanges(steady, (event) => event.event === 'changes' && Number(event.id) >= end);
    steady.close();
    expect(Date.now() - started).toBeGreaterThan(500);

    const ids = [...before, ...after].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const received = keys([...before, ...after]);
    expect(new Set(received).size).toBe(received.length); // nothing twice
    expect(received.sort()).toEqual(keys(all).sort()); // nothing missing
    const final = new Map<number, { status: string; seq: number }>();
    for (const event of [...before, ...after]) {
      for (const cell of (event.data as Change).cells) {
        if ((final.get(cell.id)?.seq ?? 0) < cell.seq) final.set(cell.id, cell);
      }
    }
    expect(final.size).toBe(300);
    expect([...final.values()].every((c) => c.status === 'done')).toBe(true);
  });

  it('a stream opened with ?after= starts from that seq', async () => {
    const { table } = await post('/tables/import?name=After', leadsCsv(3), 'text/csv');
    const events = await openEvents(`${base}/tables/${table.id}/events?after=0`, server.auth);
    expect(await events.next()).toMatchObject({ event: 'ready', id: '0' });
    const first = await events.next();
    expect(first.event).toBe('changes');
    expect((first.data as { rows: unknown[] }).rows).toHaveLength(3);
    events.close();
  });
});
