import { silentLogger } from '@glaze/db';
import { createWorker, startRun } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import type { BenchDatabase } from '../bench-database';
import { sampleRss } from '../sample-rss';
import { seedMockTable, waitForRunDone } from '../seed';

export interface EngineFigures {
  cells: number;
  seconds: number;
  cellsPerSecond: number;
  flushes: number;
  /** Of `seconds`, the start-run statement alone. */
  startSeconds: number;
  /** From the start of the start statement to the first result written (both by Postgres's clock). */
  firstResultMs: number;
  /** The bench process's highest RSS during the run: the worker runs in it. */
  peakRssMb: number;
}

export interface EngineBenchOptions {
  /**
   * Run 1,000 cells on another table first, untimed, so the figure is the throughput of a running
   * worker rather than of one whose JavaScript is still being compiled (a cold first run measured
   * 5-10% slower). Off for the far-database scenario, where it would also warm the far connections.
   */
  warmUp?: boolean;
}

/** Glaze's engine on `cells` mock cells at 0 ms: from startRun to the run's last result written. */
export async function benchEngine(
  db: BenchDatabase,
  cells: number,
  options: EngineBenchOptions = {},
): Promise<EngineFigures> {
  const near = db.near ?? db.pool;
  const warm = options.warmUp ? await seedMockTable(near, 1_000) : undefined;
  const { table, column } = await seedMockTable(near, cells);
  await near.query('vacuum analyze');
  const worker = await createWorker({ pool: db.pool, providers: builtinProviders, logger: silentLogger });
  try {
    if (warm) {
      const run = await startRun(near, { columnId: warm.column.id, scope: 'all' });
      await waitForRunDone(near, run.id, warm.table.id);
    }
    const flushesBefore = worker.flusher.flushes;
    const rss = sampleRss();
    const started = performance.now();
    const run = await startRun(near, { columnId: column.id, scope: 'all' });
    const startSeconds = (performance.now() - started) / 1000;
    await waitForRunDone(near, run.id, table.id);
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = rss.peakMb();
    rss.stop();
    const { rows } = await near.query(
      `select r.done_count,
              extract(epoch from (select min(finished_at) from cells where column_id = r.column_id) - r.created_at) * 1000 as first_ms
       from runs r where r.id = $1`,
      [run.id],
    );
    if (rows[0].done_count !== cells)
      throw new Error(`engine bench: ${rows[0].done_count} of ${cells} cells done`);
    return {
      firstResultMs: Number(rows[0].first_ms),
      peakRssMb,
      cells,
      seconds,
      cellsPerSecond: cells / seconds,
      flushes: worker.flusher.flushes - flushesBefore,
      startSeconds,
    };
  } finally {
    await worker.stop();
  }
}
