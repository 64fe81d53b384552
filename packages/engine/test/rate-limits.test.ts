import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AppError } from '@glaze/core';
import { createProviderRegistry } from '@glaze/providers';
import { expect, it } from 'vitest';
import { setRateLimit, startRun } from '../src/index';
import {
  busiestWindow,
  createWorkspace,
  seedTable,
  startTestWorker,
  useTestDatabase,
  waitForRun,
} from './helpers';

const db = useTestDatabase();

const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
const child = fileURLToPath(new URL('./fixtures/rate-limited-worker.ts', import.meta.url));
const arrivalServer = fileURLToPath(new URL('./fixtures/arrival-server.ts', import.meta.url));

/** An HTTP server on 127.0.0.1 that records when each request arrived (this process's clock). */
async function startServer(handle: (req: IncomingMessage, res: ServerResponse, index: number) => void) {
  const arrivals: number[] = [];
  const server: Server = createServer((req, res) => {
    arrivals.push(performance.now());
    handle(req, res, arrivals.length - 1);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const json = (res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** A table of `rows` rows and an http column asking `origin` for each. */
function httpTable(rows: number, origin: string) {
  return seedTable(db, {
    rows,
    provider: 'http',
    providers,
    config: { url: `${origin}/lookup?q={{input}}`, fields: { q: 'q' } },
  });
}

it('two worker processes together never send more than 10 requests in any one-second window', async () => {
  // The server runs in a process of its own: the test runner's event loop (polling, RPC, GC) must
  // not be what bunches the timestamps.
  const server = spawn(process.execPath, ['--import', 'tsx', arrivalServer], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const workers: ChildProcess[] = [];
  try {
    const [port] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const origin = `http://127.0.0.1:${port.toString().trim()}`;
    const { workspaceId, column } = await httpTable(60, origin);
    await setRateLimit(db.pool, { workspaceId, provider: 'http', requestsPerSecond: 10 });
    const flushes = [0, 0];
    const starts: number[] = [];
    for (const index of [0, 1]) {
      const worker = spawn(process.execPath, ['--import', 'tsx', child, db.url], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.push(worker);
      let ready: () => void = () => {};
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      worker.stdout?.on('data', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('ready')) ready();
        flushes[index] = (flushes[index] ?? 0) + (text.match(/flushed/g)?.length ?? 0);
        for (const match of text.matchAll(/start (\d+(?:\.\d+)?)/g)) starts.push(Number(match[1]));
      });
      await isReady;
    }
    // 30 chunks of 2: more than one worker holds at once (8 running and 8 in its local queue), so
    // the other always gets some. With 12 chunks of 5, the first worker's second fetch sometimes took
    // the last 4 before the other's first, and the other did nothing (once in CI, once in 8 runs on a quiet machine).
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 2 });
    expect(await waitForRun(db, run.id, 25_000)).toBe('done');
    const arrivals = (await (await fetch(`${origin}/arrivals`)).json()) as number[];

    expect(arrivals.length).toBe(60);
    expect(starts.length).toBe(60);
    // No tolerance. Slots are spaced 110 ms apart (1,100 ms per 10): a call starts within 20 ms of its
    // slot or not at all, which leaves 80 ms for the jitter between a call's start and its arrival
    // (see limits/rate-limits.ts). Checked where calls start (in both worker processes, one clock)
    // and where they arrive.
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(10);
    // Both processes did part of the work, so the limit held across processes, not within one.
    expect(flushes[0]).toBeGreaterThan(0);
    expect(flushes[1]).toBeGreaterThan(0);
    // And the limit was used, not undershot by much: 60 calls at ~9/s take at least ~5.5 s.
    const span = (arrivals.at(-1) as number) - (arrivals[0] as number);
    expect(span).toBeGreaterThan(5000);
    const { rows } = await db.pool.query(
      `select count(*)::int as n from cells where column_id = $1 and status = 'done'`,
      [column.id],
    );
    expect(rows[0].n).toBe(60);
  } finally {
    for (const process of [...workers, server]) if (process.exitCode === null) process.kill('SIGTERM');
    await Promise.all([...workers, server].map((p) => (p.exitCode === null ? once(p, 'exit') : undefined)));
  }
}, 40_000);

it('holds concurrency across workers: never more calls in flight than the limit', async () => {
  let inFlight = 0;
  let most = 0;
  const server = await startServer((_req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight--;
      json(res, { q: 'ok' });
    }, 40);
  });
  // Two workers in this process, each with its own limits (its own holder of permits), like two processes.
  const [a, b] = await Promise.all([startTestWorker(db, { providers }), startTestWorker(db, { providers })]);
  try {
    const { workspaceId, column } = await httpTable(40, server.origin);
    await setRateLimit(db.pool, { workspaceId, provider: 'http', concurrency: 3 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 5 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await server.close();
  }
  expect(server.arrivals.length).toBe(40);
  expect(most).toBeLessThanOrEqual(3);
  expect(most).toBeGreaterThanOrEqual(2); // permits were shared out, not serialised to one
  // every permit was given back when the workers stopped
  const { rows } = await db.pool.query(
    'select coalesce(sum(permits), 0)::int as held from rate_limit_holders',
  );
  expect(rows[0].held).toBe(0);
});

it('a 429 with Retry-After pauses every worker for that host', async () => {
  let limitedAt = 0;
  let pauseSeenAt = 0;
  const server = await startServer((req, res, index) => {
    if (index === 0) {
      limitedAt = performance.now();
      return json(res, { error: 'slow down' }, 429, { 'retry-after': '1' });
    }
    json(res, { q: new URL(req.url ?? '', 'http://x').searchParams.get('q') });
  });
  const [a, b] = await Promise.all([startTestWorker(db, { providers }), startTestWorker(db, { providers })]);
  try {
    const { workspaceId, column } = await httpTable(30, server.origin);
    // The host's rate limit: its slots come from the row the pause is written to, so every worker
    // holds at once (without one, the others learn of the pause when they next read it, within 2 s).
    const host = new URL(server.origin).host;
    await setRateLimit(db.pool, { workspaceId, provider: 'http', host, requestsPerSecond: 20 });
    // When the pause reached the database, as the other worker can see it: on a loaded machine the
    // write waits for a pooled connection, and until it lands the other worker rightly keeps its
    // slots (CI saw 11 calls in the window measured from the 429 itself).
    const watch = (async () => {
      while (pauseSeenAt === 0) {
        const { rows } = await db.pool.query(
          `select paused_until is not null as paused from rate_limits where workspace_id = $1 and provider = $2`,
          [workspaceId, `http:${host}`],
        );
        if (rows[0]?.paused) pauseSeenAt = performance.now();
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 5 });
    expect(await waitForRun(db, run.id)).toBe('done');
    await watch;
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await server.close();
  }
  expect(server.arrivals.length).toBe(31); // 30 cells, one of them twice
  // At 20/s about 12 requests would arrive in the second after the 429. Once the pause is in the
  // database, slots already in a worker's hand (none more than 200 ms ahead, used at most 20 ms late)
  // may still be used; none after that, until the pause ends.
  expect(pauseSeenAt).toBeGreaterThan(0);
  const from = Math.max(limitedAt + 400, pauseSeenAt + 300);
  const during = server.arrivals.filter((t) => t > from && t < limitedAt + 1000);
  expect(during).toEqual([]);
  // and the pause did reach the database while it was still on
  expect(pauseSeenAt).toBeLessThan(limitedAt + 1000);
});

it('setRateLimit refuses nonsense, naming the field', async () => {
  const workspaceId = await createWorkspace(db);
  await expect(
    setRateLimit(db.pool, { workspaceId, provider: 'http', requestsPerSecond: 0 }),
  ).rejects.toThrow(
    new AppError('validation_failed', 'must be a number above 0 and at most 100000', 'requestsPerSecond'),
  );
  await expect(setRateLimit(db.pool, { workspaceId, provider: 'http', concurrency: 1.5 })).rejects.toThrow(
    /^concurrency: /,
  );
});
