import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startRun } from '@glaze/engine';
import type { BenchDatabase } from '../bench-database';
import { seedMockTable, waitForRunDone } from '../seed';

const glazeBin = fileURLToPath(new URL('../../../cli/bin/glaze.js', import.meta.url));

export interface WorkersFigures {
  processes: number;
  cells: number;
  seconds: number;
  cellsPerSecond: number;
}

/** `processes` real `glaze worker` child processes on one Postgres, running one mock run of `cells`. */
export async function benchWorkers(
  db: BenchDatabase,
  processes: number,
  cells: number,
): Promise<WorkersFigures> {
  const near = db.near ?? db.pool;
  const { table, column } = await seedMockTable(near, cells);
  await near.query('vacuum analyze'); // fresh statistics, as on a database that has been running
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) children.push(await startWorkerProcess(db.url));
    const started = performance.now();
    const run = await startRun(near, { columnId: column.id, scope: 'all' });
    await waitForRunDone(near, run.id, table.id);
    const seconds = (performance.now() - started) / 1000;
    return { processes, cells, seconds, cellsPerSecond: cells / seconds };
  } finally {
    await Promise.all(children.map(stopProcess));
  }
}

/** A real `glaze worker` process on `databaseUrl`, resolved once it takes jobs. */
export async function startWorkerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [glazeBin, 'worker', ...args], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      WORKER_DATABASE_URL: '',
      GLAZE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes('ready')) return child;
  }
  throw new Error(`glaze worker exited before it was ready: ${output}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
