import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import { cellsOf, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

it('runs 100 cells of a 200 ms provider at the same time, not one after another', async () => {
  const { column } = await seedTable(db, { rows: 100, config: { latencyMs: 200 } });
  const worker = await startTestWorker(db, { cellConcurrency: 200 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 100 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const cells = await cellsOf(db, column.id);
  const starts = cells.map((c) => new Date(c.startedAt).getTime());
  const ends = cells.map((c) => new Date(c.finishedAt).getTime());
  // Every cell started before the first one finished: all 100 were in flight together.
  expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
  // Serially they would span 100 × 200 ms = 20 s; in parallel the span is about one call.
  const span = Math.max(...ends) - Math.min(...starts);
  expect(span).toBeLessThan(100 * 200);
});
