import { describe, expect, it } from 'vitest';
import { cancelRun, getRun, startRun } from '../src/index';
import { cellsOf, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

describe('a run', () => {
  it('queues every cell in one statement, then fills them all with values derived from the input', async () => {
    const { column } = await seedTable(db, { rows: 500 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 100 });
    expect(run).toMatchObject({ total: 500, status: 'running', chunks: 5 });
    const queued = await cellsOf(db, column.id);
    expect(queued.every((c) => c.status === 'queued')).toBe(true);

    const worker = await startTestWorker(db);
    try {
      expect(await waitForRun(db, run.id)).toBe('done');
    } finally {
      await worker.stop();
    }
    const cells = await cellsOf(db, column.id);
    expect(cells).toHaveLength(500);
    expect(cells.every((c) => c.status === 'done')).toBe(true);
    expect(cells[0].value).toMatchObject({ input: 'value-1', length: 7 });
    const progress = await getRun(db.pool, run.id);
    expect(progress?.counts).toEqual({
      queued: 0,
      running: 0,
      done: 500,
      error: 0,
      skipped: 0,
      cancelled: 0,
    });
    expect(progress?.finishedAt).not.toBeNull();
  });

  it('scopes: empty re-runs only cells without a value, errors only failed ones, rowIds only those rows', async () => {
    const { column, rowIds } = await seedTable(db, { rows: 20, config: { failRate: 0.5, seed: 3 } });
    const worker = await startTestWorker(db);
    try {
      const first = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      await waitForRun(db, first.id);
      const afterFirst = await cellsOf(db, column.id);
      const failed = afterFirst.filter((c) => c.status === 'error').length;
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThan(20);
      expect(afterFirst.find((c) => c.status === 'error')?.error).toMatch(/configured to fail/);

      const errors = await startRun(db.pool, { columnId: column.id, scope: 'errors' });
      expect(errors.total).toBe(failed);
      await waitForRun(db, errors.id);

      const empty = await startRun(db.pool, { columnId: column.id, scope: 'empty' });
      expect(empty.total).toBe(failed); // errors have no value
      await waitForRun(db, empty.id);

      const some = await startRun(db.pool, { columnId: column.id, scope: { rowIds: rowIds.slice(0, 3) } });
      expect(some.total).toBe(3);
      await waitForRun(db, some.id);
    } finally {
      await worker.stop();
    }
  });

  it('a run over nothing is born done', async () => {
    const { column } = await seedTable(db, { rows: 3 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'errors' });
    expect(run).toMatchObject({ total: 0, status: 'done', chunks: 0 });
  });

  it('skips cells whose input is blank', async () => {
    const { column, table } = await seedTable(db, { rows: 2 });
    await db.pool.query(`update rows set data = '{}' where table_id = $1 and position = 1`, [table.id]);
    const worker = await startTestWorker(db);
    try {
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      await waitForRun(db, run.id);
      const progress = await getRun(db.pool, run.id);
      expect(progress?.counts).toMatchObject({ done: 1, skipped: 1 });
    } finally {
      await worker.stop();
    }
  });

  it('cancelling turns queued cells cancelled at once and leaves the run cancelled', async () => {
    const { column } = await seedTable(db, { rows: 50, config: { latencyMs: 5000 } });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    const cancelled = await cancelRun(db.pool, run.id);
    expect(cancelled).toEqual({ id: run.id, cancelled: 50 });
    const progress = await getRun(db.pool, run.id);
    expect(progress).toMatchObject({ status: 'cancelled', counts: { cancelled: 50, queued: 0 } });
    expect(await cancelRun(db.pool, run.id)).toBeUndefined();
  });
});
