import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProviderRegistry } from '@glaze/providers';
import { expect, it } from 'vitest';
import { addColumn, cancelRun, listRateLimits, setRateLimit, startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });

/** An API on its own port (so its own host, `127.0.0.1:<port>`) that answers as `answer` says and notes when calls came. */
async function api(answer: (res: ServerResponse, call: number) => void) {
  const arrivals: number[] = [];
  const server = createServer((_req, res) => {
    arrivals.push(performance.now());
    answer(res, arrivals.length);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    origin: `http://${host}`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs every cell of the column on a worker of its own until the run is done, then closes the API. */
async function runToEnd(columnId: number, api: { close(): Promise<void> }) {
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId, scope: 'all' });
    expect(await waitForRun(db, run.id, 20_000)).toBe('done');
  } finally {
    await worker.stop();
    await api.close();
  }
}

const ok = (res: ServerResponse, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end('{"ok":true}');
};

it('a 429 from one host pauses the calls to that host only, not a column calling another', async () => {
  const refusing = await api((res) => {
    res.writeHead(429, { 'retry-after': '30' });
    res.end();
  });
  const answering = await api((res) => ok(res));
  const { table, column } = await seedTable(db, {
    rows: 20,
    provider: 'http',
    providers,
    config: { url: `${refusing.origin}/x?q={{input}}`, fields: { ok: 'ok' } },
  });
  const other = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'other',
    kind: 'enrichment',
    provider: 'http',
    config: { url: `${answering.origin}/x?q={{input}}`, fields: { ok: 'ok' } },
  });
  const worker = await startTestWorker(db, { providers });
  try {
    const refused = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    while (refusing.arrivals.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // The refusing host asked for 30 s; the other column must not wait for it.
    const run = await startRun(db.pool, { columnId: other.id, scope: 'all' });
    expect(await waitForRun(db, run.id, 10_000)).toBe('done');
    expect(answering.arrivals).toHaveLength(20);
    const limits = await listRateLimits(db.pool, { workspaceId: table.workspaceId });
    const paused = limits.filter((limit) => limit.pausedUntil !== null);
    expect(paused.map((limit) => [limit.provider, limit.host])).toEqual([['http', refusing.host]]);
    await cancelRun(db.pool, refused.id, { reason: 'test over' });
  } finally {
    await worker.stop();
    await Promise.all([refusing.close(), answering.close()]);
  }
}, 60_000);

it('an answer saying no calls remain in the window (OpenAI headers) holds the next call until the reset', async () => {
  // every second answer spends the quota: the call after it must wait about a second
  const quota = await api((res, call) =>
    ok(
      res,
      call % 2 === 1
        ? { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }
        : { 'x-ratelimit-remaining-requests': '5' },
    ),
  );
  const { table, column } = await seedTable(db, {
    rows: 4,
    provider: 'http',
    providers,
    config: { url: `${quota.origin}/x?q={{input}}`, fields: { ok: 'ok' } },
  });
  // one call at a time, so each call starts after the answer before it was read
  await setRateLimit(db.pool, { workspaceId: table.workspaceId, provider: 'http', concurrency: 1 });
  await runToEnd(column.id, quota);
  const gaps = quota.arrivals.slice(1).map((at, i) => at - (quota.arrivals[i] as number));
  expect(gaps).toHaveLength(3);
  expect(gaps[0]).toBeGreaterThan(900); // after "0 remaining, reset in 1s"
  expect(gaps[2]).toBeGreaterThan(900);
}, 60_000);

it('a limit set for one host holds the calls to it, and is listed with its host', async () => {
  const limited = await api((res) => ok(res));
  const { table, column } = await seedTable(db, {
    rows: 12,
    provider: 'http',
    providers,
    config: { url: `${limited.origin}/x?q={{input}}`, fields: { ok: 'ok' } },
  });
  const limit = await setRateLimit(db.pool, {
    workspaceId: table.workspaceId,
    provider: 'http',
    host: limited.host.toUpperCase(),
    requestsPerSecond: 4,
  });
  expect([limit.provider, limit.host, limit.requestsPerSecond]).toEqual(['http', limited.host, 4]);
  await runToEnd(column.id, limited);
  // 12 calls at 4 a second: the last starts at least 2 s after the first (unlimited: milliseconds)
  const span = (limited.arrivals.at(-1) as number) - (limited.arrivals[0] as number);
  expect(span).toBeGreaterThan(2000);
  const listed = await listRateLimits(db.pool, { workspaceId: table.workspaceId });
  expect(listed.map((l) => [l.provider, l.host, l.requestsPerSecond])).toContainEqual([
    'http',
    limited.host,
    4,
  ]);
}, 60_000);

it('a host given as a URL, or with a path, is refused naming the host field', async () => {
  const { workspaceId } = await seedTable(db, { rows: 1 });
  for (const host of ['https://api.example.com', 'api.example.com/v1', '', 'a b'])
    await expect(
      setRateLimit(db.pool, { workspaceId, provider: 'http', host, requestsPerSecond: 1 }),
    ).rejects.toMatchObject({ path: 'host' });
  await expect(
    setRateLimit(db.pool, { workspaceId, provider: 'http:x', concurrency: 1 }),
  ).rejects.toMatchObject({
    path: 'provider',
  });
});
