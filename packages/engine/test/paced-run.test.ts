import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import { cellsOf, seedTable, startTestWorker, testDatabase, waitForRun } from './helpers';

/**
 * A worker given a pace (WorkerOptions.paceWith; the server's waits for the table's viewers) keeps
 * it before claiming a chunk of a table it already works: the chunk's cells stay queued, not
 * running, until the pace lets it go, and the run then ends with every cell run once.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.drop());

it('claims a paced chunk only once the pace lets it go', async () => {
  const { table, column } = await seedTable(db, { rows: 60, config: { latencyMs: 100 } });
  const paced: number[] = [];
  let letGo: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const worker = await startTestWorker(db, {
    jobConcurrency: 8,
    paceWith: (tableId) => {
      paced.push(tableId);
      return held;
    },
  });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 5 });
    const deadline = Date.now() + 10_000;
    while (paced.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(new Set(paced)).toEqual(new Set([table.id]));
    // Held: the waiting chunks were not claimed, so their cells read queued, and the run goes on.
    await new Promise((r) => setTimeout(r, 500));
    const { rows: unclaimed } = await db.pool.query(
      `select count(*)::int as n from chunks where run_id = $1 and attempt = 0`,
      [run.id],
    );
    expect(unclaimed[0].n).toBeGreaterThan(0);
    expect((await getRun(db.pool, run.id))?.status).toBe('running');
    const statuses = (await cellsOf(db, column.id)).map((c) => c.status);
    expect(statuses.filter((s) => s === 'queued').length).toBeGreaterThanOrEqual(5 * unclaimed[0].n);

    letGo();
    expect(await waitForRun(db, run.id)).toBe('done');
    expect((await cellsOf(db, column.id)).map((c) => [c.status, c.tries])).toEqual(
      Array.from({ length: 60 }, () => ['done', 1]),
    );
  } finally {
    letGo();
    await worker.stop();
  }
});
