import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProviderRegistry } from '@glaze/providers';
import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import { AdaptiveCap } from '../src/limits/adaptive-cap';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });

/**
 * An API that allows `perSecond` calls in each wall-clock second and answers the rest with 429,
 * the way a provider's quota does; `headers` decides what the 429 says about when to come back.
 */
async function quotaServer(perSecond: number, headers: (resetInMs: number) => Record<string, string>) {
  let second = 0;
  let used = 0;
  const counts = { ok: 0, refused: 0 };
  const server = createServer((req, res: ServerResponse) => {
    const now = Date.now();
    if (Math.floor(now / 1000) !== second) {
      second = Math.floor(now / 1000);
      used = 0;
    }
    if (used >= perSecond) {
      counts.refused++;
      res.writeHead(429, { 'content-type': 'application/json', ...headers(1000 - (now % 1000)) });
      res.end(JSON.stringify({ error: 'rate limit exceeded' }));
      return;
    }
    used++;
    counts.ok++;
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q');
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ q }));
    }, 20);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function runAgainst(origin: string, rows: number) {
  const { column } = await seedTable(db, {
    rows,
    provider: 'http',
    providers,
    // The default of 3 attempts: without throttling most cells would give up on their third 429.
    config: { url: `${origin}/lookup?q={{input}}`, fields: { q: 'q' } },
  });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id, 60_000)).toBe('done');
  } finally {
    await worker.stop();
  }
  const { rows: cells } = await db.pool.query(
    `select status, error, value, meta from cells where column_id = $1 order by row_id`,
    [column.id],
  );
  return cells as Array<{ status: string; error: string | null; value: { q: string } | null; meta: unknown }>;
}

it('a provider that answers 429 with no Retry-After, and no limit set: every cell ends done', async () => {
  const api = await quotaServer(20, () => ({}));
  try {
    const cells = await runAgainst(api.origin, 120);
    expect(cells.filter((cell) => cell.status !== 'done').map((cell) => cell.error)).toEqual([]);
    expect(cells.map((cell) => cell.value?.q)).toEqual(
      Array.from({ length: 120 }, (_, i) => `value-${i + 1}`),
    );
    expect(api.counts.refused).toBeGreaterThan(0); // it did push back
    expect(api.counts.ok).toBe(120);
    // The cells that were refused say how often.
    expect(cells.some((cell) => (cell.meta as { throttled?: number } | null)?.throttled)).toBe(true);
  } finally {
    await api.close();
  }
}, 90_000);

it('a 429 with X-RateLimit-Reset (Unix seconds) or RateLimit-Reset (seconds) is waited out, not failed', async () => {
  for (const header of [
    (ms: number) => ({ 'x-ratelimit-reset': String(Math.ceil((Date.now() + ms) / 1000)) }),
    (ms: number) => ({ 'ratelimit-reset': String(Math.ceil(ms / 1000)) }),
  ]) {
    const api = await quotaServer(25, header);
    try {
      const cells = await runAgainst(api.origin, 60);
      expect(cells.filter((cell) => cell.status !== 'done')).toEqual([]);
      expect(api.counts.ok).toBe(60);
    } finally {
      await api.close();
    }
  }
}, 90_000);

it('the adaptive cap halves on a refusal, grows by one per cap successes, and lifts past twice its start', () => {
  const cap = new AdaptiveCap();
  for (let i = 0; i < 8; i++) expect(cap.tryTake()).toBe(true); // no cap before a refusal
  cap.release();
  cap.throttled(); // 7 in flight + the refused one: 8 → 4
  expect(cap.current).toBe(4);
  expect(cap.tryTake()).toBe(false); // 7 still in flight
  for (let i = 0; i < 7; i++) cap.release();
  for (let i = 0; i < 4; i++) expect(cap.tryTake()).toBe(true);
  expect(cap.tryTake()).toBe(false);
  for (let i = 0; i < 4; i++) cap.succeeded();
  expect(cap.current).toBe(5);
  for (let i = 0; i < 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15; i++) cap.succeeded();
  expect(cap.current).toBeUndefined(); // 16 = twice the 8 it started from: no cap any more
});

it('a call waiting for a place is let in when one is released, and leaves the queue when aborted', async () => {
  const cap = new AdaptiveCap();
  cap.tryTake();
  cap.throttled(); // 1 in flight + 1 refused: cap 1
  expect(cap.current).toBe(1);
  const aborted = new AbortController();
  const first = cap.take(aborted.signal);
  const second = cap.take(new AbortController().signal);
  aborted.abort(new Error('cancelled'));
  await expect(first).rejects.toThrow('cancelled');
  cap.release();
  await second; // resolves: the aborted one gave up its turn
  expect(cap.tryTake()).toBe(false);
});
