import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import { recordStatements, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

it('a 1,000-cell run issues a small constant number of statements per chunk, not per cell', async () => {
  const { column } = await seedTable(db, { rows: 1000 });
  const { statements, stop } = recordStatements(db.pool);

  const worker = await startTestWorker(db, { sweepIntervalMs: 60_000 });
  await new Promise((r) => setTimeout(r, 300)); // let the worker settle its startup queries
  statements.length = 0;
  const chunkSize = 100;
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize });
  await waitForRun(db, run.id);
  const duringRun = statements.filter((s) => !s.includes('select status from runs where id')); // our own polling
  await worker.stop();
  stop();

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

it('a run whose chunk ends in one flush closes the chunk and records its export paths in that flush: no statement of its own for either', async () => {
  const { column } = await seedTable(db, { rows: 10 });
  const { statements, stop } = recordStatements(db.pool);
  const worker = await startTestWorker(db, { sweepIntervalMs: 60_000 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    await waitForRun(db, run.id);
  } finally {
    await worker.stop();
    stop();
  }
  const flushes = statements.filter((s) => s.includes('update cells c\n  set status = i.status'));
  expect(flushes).toHaveLength(1);
  // on a database 100 ms away each statement is a round trip before the chunk's job can end
  expect(statements.filter((s) => s.includes('Closes a chunk'))).toHaveLength(0);
  expect(statements.filter((s) => s.includes('column_value_paths'))).toEqual(flushes);
  // the provider's limits come with the run context (run-context.sql), not in a read of their own
  expect(statements.filter((s) => s.includes("A provider's limit in a workspace"))).toHaveLength(0);
  const { rows } = await db.pool.query('select path from column_value_paths where column_id = $1', [
    column.id,
  ]);
  expect(rows.length).toBeGreaterThan(0);
});
