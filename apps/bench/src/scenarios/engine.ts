import { silentLogger } from '@glaze/db';
import { createWorker, startRun } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import type { BenchDatabase } from '../bench-database';
import { seedMockTable, waitForRunDone } from '../seed';

export interface EngineFigures {
  cells: number;
  seconds: number;
  cellsPerSecond: number;
  flushes: number;
  /** Of `seconds`, the start-run statement alone. */
  startSeconds: number;
}

/** Glaze's engine on `cells` mock cells at 0 ms: from startRun to the run's last result written. */
export async function benchEngine(db: BenchDatabase, cells: number): Promise<EngineFigures> {
  const near = db.near ?? db.pool;
  const { table, column } = await seedMockTable(near, cells);
  await near.query('vacuum analyze');
  const worker = await createWorker({ pool: db.pool, providers: builtinProviders, logger: silentLogger });
  try {
    const started = performance.now();
    const run = await startRun(near, { columnId: column.id, scope: 'all' });
    const startSeconds = (performance.now() - started) / 1000;
    await waitForRunDone(near, run.id, table.id);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await near.query('select done_count from runs where id = $1', [run.id]);
    if (rows[0].done_count !== cells)
      throw new Error(`engine bench: ${rows[0].done_count} of ${cells} cells done`);
    return { cells, seconds, cellsPerSecond: cells / seconds, flushes: worker.flusher.flushes, startSeconds };
  } finally {
    await worker.stop();
  }
}
