import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import { cellsOf, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const child = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url));

it('cells of a worker killed with SIGKILL return to queued after their lease and finish', async () => {
  const { column } = await seedTable(db, { rows: 20, config: { latencyMs: 1500 } });
  const worker = spawn(process.execPath, ['--import', 'tsx', child, db.url, '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await once(worker.stdout, 'data');
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    // Wait until the child holds the cells.
    for (let i = 0; i < 200; i++) {
      if ((await getRun(db.pool, run.id))?.counts.running === 20) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await getRun(db.pool, run.id))?.counts.running).toBe(20);
    worker.kill('SIGKILL');
    await once(worker, 'exit');

    const rescuer = await startTestWorker(db, { sweepIntervalMs: 200 });
    try {
      expect(await waitForRun(db, run.id, 20_000)).toBe('done');
    } finally {
      await rescuer.stop();
    }
    const cells = await cellsOf(db, column.id);
    expect(cells.every((c) => c.status === 'done')).toBe(true);
    expect(cells.every((c) => c.attempt === 2)).toBe(true); // the first claim died, the second finished
  } finally {
    if (worker.exitCode === null) worker.kill('SIGKILL');
  }
});

it('a cell lost more often than maxAttempts ends in error instead of looping', async () => {
  const { column } = await seedTable(db, { rows: 1 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
  // Simulate a worker that claimed the chunk and vanished: running, attempt 1, lease long gone.
  await db.pool.query(
    `update chunks set status = 'running', attempt = 1, lease_until = now() - interval '1 minute' where run_id = $1`,
    [run.id],
  );
  await db.pool.query(`delete from graphile_worker._private_jobs`);
  const rescuer = await startTestWorker(db, { sweepIntervalMs: 100 });
  try {
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await rescuer.stop();
  }
  const [cell] = await cellsOf(db, column.id);
  expect(cell.status).toBe('error');
  expect(cell.error).toMatch(/lease expired/);
});
