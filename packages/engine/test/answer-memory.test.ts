import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProviderRegistry } from '@glaze/providers';
import { afterEach, expect, it } from 'vitest';
import type { GlazeWorker } from '../src/index';
import { startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();
const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
let worker: GlazeWorker | undefined;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  for (const close of closers.splice(0)) await close();
});

/** An API whose every answer is a page of `bytes` characters, after 100 ms; it counts calls in flight. */
async function pageServer(bytes: number) {
  const page = JSON.stringify({ text: 'p'.repeat(bytes) });
  const seen = { inFlight: 0, most: 0, calls: 0 };
  const server = createServer((_req, res) => {
    seen.calls++;
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page, () => seen.inFlight--);
    }, 100);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function runPages(bytes: number, answerMemoryMb: number, rows = 200) {
  const api = await pageServer(bytes);
  const { column } = await seedTable(db, {
    rows,
    provider: 'http',
    providers,
    config: { url: `${api.origin}/page?q={{input}}` },
  });
  worker = await startTestWorker(db, { providers, answerMemoryMb, cellConcurrency: 200 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  expect(await waitForRun(db, run.id, 60_000)).toBe('done');
  const { rows: counts } = await db.pool.query(
    `select status, count(*)::int as n, min(length(value->>'text')) as shortest
     from cells where column_id = $1 group by status`,
    [column.id],
  );
  return { seen: api.seen, counts };
}

it('keeps large answers within the memory budget: fewer calls at a time, every cell written whole', async () => {
  // 256 KB pages and a 2 MB budget: seven such calls in flight at most, and none starts while more
  // than 2 MB of answers wait for their write
  const { seen, counts } = await runPages(256 * 1024, 2);
  expect(counts).toEqual([{ status: 'done', n: 200, shortest: 256 * 1024 }]);
  expect(seen.calls).toBe(200);
  // the first 16 calls go out before any answer is known, then the pages' size bounds them. Without
  // the budget the http provider's slow start took these 200 calls to 64 at once
  expect(seen.most).toBeLessThanOrEqual(16);
});

it('leaves small answers to the slots alone', async () => {
  const { seen, counts } = await runPages(100, 2);
  expect(counts).toEqual([{ status: 'done', n: 200, shortest: 100 }]);
  // 2 MB holds 20,000 answers of 100 characters: once the first answer told their size the calls go
  // out as the http provider's slow start lets them (the first 16 before it)
  expect(seen.most).toBeGreaterThan(30);
});
