import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { cellsOf, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

// A chunk whose job fails while its worker is alive (a statement the database refuses for a reason
// that is not an outage, a bug) ends, at its last allowed attempt, with its cells in error. Before,
// that error said "the worker running this cell stopped responding (lease expired)" whatever the
// cause: 8,361 cells said so under a full disk while their worker was up throughout. The worker now
// writes why its attempt failed (chunks.failure, migration 040) and the cells' error gives it. Here a
// trigger refuses every `done` result with an error of its own.
const db = useTestDatabase();

beforeAll(async () => {
  await db.pool.query(`
    create function refuse_results() returns trigger language plpgsql as $$
    begin
      raise exception 'results refused by a trigger (test)';
    end $$;
    create trigger results_refused before update on cells
      for each row when (new.status = 'done') execute function refuse_results();
  `);
});
afterAll(async () => {
  await db.pool.query('drop trigger results_refused on cells');
});

it('cells of a chunk whose last attempt failed say why, not that their worker stopped responding', {
  timeout: 60_000,
}, async () => {
  const { column } = await seedTable(db, { rows: 5 });
  const worker = await startTestWorker(db, { leaseSeconds: 2 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
    // the flush is tried four times (~4 s), the job fails, the lease runs out 2 s later
    expect(await waitForRun(db, run.id, 30_000)).toBe('done');
    const cells = await cellsOf(db, column.id);
    expect(cells).toHaveLength(5);
    for (const cell of cells) {
      expect(cell.status).toBe('error');
      expect(cell.error).toBe(
        'its chunk failed once, the last time with: results refused by a trigger (test)',
      );
    }
  } finally {
    await worker.stop();
  }
});

it('a chunk whose attempt failed is retried at once, not a lease later', { timeout: 90_000 }, async () => {
  // only the first attempt's results are refused: the second attempt writes them
  await db.pool.query(`
    create or replace function refuse_first_attempt() returns trigger language plpgsql as $$
    begin
      raise exception 'first attempt refused by a trigger (test)';
    end $$;
    create trigger first_attempt_refused before update on cells
      for each row when (new.status = 'done' and new.attempt = 1) execute function refuse_first_attempt();
    alter table cells disable trigger results_refused;
  `);
  const { column } = await seedTable(db, { rows: 5 });
  // a lease of 60 s: waiting it out would take longer than the 30 s this test waits
  const worker = await startTestWorker(db, { leaseSeconds: 60 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 3 });
    expect(await waitForRun(db, run.id, 30_000)).toBe('done');
    const cells = await cellsOf(db, column.id);
    expect(cells.map((cell) => [cell.status, cell.attempt])).toEqual(Array(5).fill(['done', 2]));
  } finally {
    await worker.stop();
    await db.pool.query(`
      drop trigger first_attempt_refused on cells;
      alter table cells enable trigger results_refused;
    `);
  }
});
