import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { claimChunk, ResultFlusher, readChanges, startRun, sweepLeases } from '../src/index';
import { chunksOf, decodeCells, seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

/** Every state change of a cell that goes queued → running → (lease lost) queued → running. */
it("the change feed shows a claimed chunk's cells running, and queued again when the chunk is handed back", async () => {
  const { table, column } = await seedTable(db, { rows: 3 });
  const statusesAfter = async (after: number) => {
    const { batch } = await readChanges(db.pool, table.id, after);
    return {
      to: batch.to,
      statuses: decodeCells(batch.cells)
        .filter((c) => c.columnId === column.id)
        .map((c) => c.status),
    };
  };
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const queued = await statusesAfter(0);
  expect(queued.statuses).toEqual(['queued', 'queued', 'queued']);

  const [chunk] = await chunksOf(db, run.id);
  await claimChunk(db.pool, chunk!, 30, 'test-worker');
  const running = await statusesAfter(queued.to);
  expect(running.statuses).toEqual(['running', 'running', 'running']);

  // The worker dies: its lease runs out and the sweeper hands the chunk back.
  await db.pool.query(`update chunks set lease_until = now() - interval '1 second' where id = $1`, [chunk]);
  const swept = await sweepLeases(db.pool, new ResultFlusher(db.pool, { logger: silentLogger }));
  expect(swept.requeued).toBe(1);
  const requeued = await statusesAfter(running.to);
  expect(requeued.statuses).toEqual(['queued', 'queued', 'queued']);
});
