import type { PoolClient } from '@glaze/db';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { seedTable, startTestWorker, testDatabase, waitForRun } from './helpers';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.drop());

it('a 1,000-cell run issues a small constant number of statements per chunk, not per cell', async () => {
  const { column } = await seedTable(db, { rows: 1000 });
  const statements: string[] = [];
  // Count every statement any pool client sends (our SQL and graphile-worker's).
  const counted = new WeakSet<PoolClient>();
  const count = (client: PoolClient) => {
    if (counted.has(client)) return;
    counted.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      statements.push(typeof first === 'string' ? first : (first.text ?? ''));
      return query(...args);
    };
  };
  db.pool.on('acquire', count);

  const worker = await startTestWorker(db, { sweepIntervalMs: 60_000 });
  await new Promise((r) => setTimeout(r, 300)); // let the worker settle its startup queries
  statements.length = 0;
  const chunkSize = 100;
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize });
  await waitForRun(db, run.id);
  const duringRun = statements.filter((s) => !s.includes('select status from runs where id')); // our own polling
  await worker.stop();
  db.pool.off('acquire', count);

  const chunks = 1000 / chunkSize;
  const cells = 1000;
  // start (1) + run context (1) + per chunk: fetch/complete job, claim, flush — well under 8 per chunk.
  expect(duringRun.length).toBeGreaterThan(chunks); // the counter sees the claims and flushes
  expect(duringRun.length).toBeLessThanOrEqual(8 * chunks + 10);
  expect(duringRun.length).toBeLessThan(cells / 10);
  expect(
    duringRun.filter((s) => s.includes('update cells c\n  set status = i.status')).length,
  ).toBeLessThanOrEqual(chunks);
});
