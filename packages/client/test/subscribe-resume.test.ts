import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  leadsCsv,
  openEvents,
  type SseEvent,
  type TestServer,
  testServer,
} from '../../../apps/server/test/helpers';
import { createGlazeClient, type FeedFrames, type GlazeClient } from '../src/index';

/**
 * subscribe() against a real server and Postgres: the server drops its connection mid-run, the
 * client comes back with Last-Event-ID, and what it handled equals what a client that never
 * dropped saw: every change once, in order.
 */
let server: TestServer;
let glaze: GlazeClient;
let base: string;
/** The socket of the first event stream that is not the steady reader's: the one the test cuts. */
let toCut: Promise<Socket>;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  toCut = new Promise((resolve) =>
    server.app.server.on('request', (request) => {
      if (request.url?.includes('/events') && !request.headers['x-steady']) resolve(request.socket);
    }),
  );
  glaze = createGlazeClient({ baseUrl: base, token: server.auth.authorization.slice('Bearer '.length) });
  await server.startWorker();
});
afterAll(() => server.close());

type Changes = FeedFrames['changes'];
const keys = (batches: Changes[]) => batches.flatMap((b) => b.cells.map((c) => `${c.id}@${c.seq}`));

describe('subscribe()', () => {
  it('resumes after the server drops the connection mid-run: no change missed, none twice', async () => {
    const { table } = await glaze.importTable({ params: { query: { name: 'Resume' } }, body: leadsCsv(300) });
    const { column } = await glaze.addColumn({
      params: { path: { id: String(table.id) } },
      body: {
        name: 'Slow',
        kind: 'enrichment',
        provider: 'mock',
        config: { input: '{{email}}', latencyMs: 150, jitterMs: 400 },
      },
    });
    const steady = await openEvents(`${base}/api/v1/tables/${table.id}/events`, {
      ...server.auth,
      'x-steady': '1',
    });
    expect((await steady.next()).event).toBe('ready');

    const handled: { seq: number; changes: Changes }[] = [];
    const disconnects: unknown[] = [];
    const stop = new AbortController();
    let ready: () => void = () => {};
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    // Cells of the run can arrive before the reply that names it (workers start at the start's
    // commit, the reply waits for its durability barrier): the handler waits for the id.
    let runStarted: (id: number) => void = () => {};
    const runId = new Promise<number>((resolve) => {
      runStarted = resolve;
    });
    let statusAtCut: string | undefined;
    let finished: () => void = () => {};
    const runFinished = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const following = glaze.subscribe(table.id, {
      retryMs: 100,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.event === 'ready') ready();
      },
      onDisconnect: (error) => disconnects.push(error),
      onChanges: async (changes, seq) => {
        handled.push({ seq, changes });
        const id = await runId;
        if (statusAtCut === undefined && changes.cells.some((c) => c.status === 'done')) {
          (await toCut).destroy();
          statusAtCut = (await glaze.getRun({ params: { path: { runId: String(id) } } })).run.status;
        }
        if (changes.runs.some((r) => r.id === id && r.status !== 'running')) finished();
      },
    });
    await isReady;
    const { run } = await glaze.runColumn({
      params: { path: { id: String(table.id), columnId: String(column.id) } },
      body: { scope: 'all' },
    });
    runStarted(run.id);
    await runFinished;
    stop.abort();
    await following;

    expect(statusAtCut).toBe('running'); // it really dropped mid-run
    expect(disconnects.length).toBeGreaterThanOrEqual(1);
    const seqs = handled.map((h) => h.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b)); // in order, none twice
    const end = seqs.at(-1) as number;
    const all: SseEvent[] = [];
    for (;;) {
      const event = await steady.next(15_000);
      if (event.event === 'changes') all.push(event);
      if (event.event === 'changes' && Number(event.id) >= end) break;
    }
    steady.close();
    expect(keys(handled.map((h) => h.changes))).toEqual(keys(all.map((e) => e.data as Changes)));
    const cells = new Map(handled.flatMap((h) => h.changes.cells.map((c) => [c.id, c.status])));
    expect(cells.size).toBe(300);
    expect([...cells.values()].every((status) => status === 'done')).toBe(true);
  });

  it('stops when its signal aborts, though the fetch it was given does not pass the abort on', async () => {
    const { table } = await glaze.importTable({ params: { query: { name: 'Stop' } }, body: leadsCsv(3) });
    // What Node's fetch does once the Request is garbage-collected: the body read never hears of it.
    const deaf = createGlazeClient({
      baseUrl: base,
      token: server.auth.authorization.slice('Bearer '.length),
      fetch: (request) => fetch(request.url, { headers: request.headers }),
    });
    const stop = new AbortController();
    const following = deaf.subscribe(table.id, {
      signal: stop.signal,
      onChanges: () => {},
      onEvent: (event) => {
        if (event.event === 'ready') stop.abort();
      },
    });
    await expect(following).resolves.toBeUndefined();
  });
});
