import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createPool, type Pool } from '@glaze/db';
import {
  type Pgbouncer,
  pgbouncerBinary,
  type StoppableCluster,
  startPgbouncer,
  startStoppableCluster,
} from '@glaze/db/testing';
import { startRun } from '@glaze/engine';
import { seedMockTable } from '../seed';
import { startWorkerProcess, stopProcess } from './workers';

export type Fault = 'worker-kill' | 'only-worker-kill' | 'pg-restart' | 'pg-kill' | 'pooler';

export interface FaultFigures {
  fault: Fault;
  cells: number;
  /** Cells the run counted that are not in a terminal state, or terminal cells it did not count. */
  lost: number;
  /** Cells still queued or running `stuckAfterSeconds` after the fault ended. */
  stuck: number;
  stuckAfterSeconds: number;
  /** From the end of the fault (kill; Postgres back) to the run's last cell. */
  recoverySeconds: number;
  /** Cells that ended in error: the mock never fails, so every one is the fault's doing. */
  cellErrorsFromDb: number;
}

/** What each fault does to the cluster and the workers, and when it is over. */
const faults: Record<Fault, { workers: number; pooled?: boolean; inject(f: FaultContext): Promise<void> }> = {
  'worker-kill': {
    workers: 2,
    inject: async ({ workers }) => kill(workers[0]),
  },
  'only-worker-kill': {
    workers: 1,
    inject: async ({ workers, start }) => {
      await kill(workers[0]);
      await sleep(5_000);
      workers.push(await start());
    },
  },
  'pg-restart': {
    workers: 2,
    inject: async ({ cluster }) => {
      await cluster.stopFast();
      await sleep(10_000);
      await cluster.start();
    },
  },
  'pg-kill': {
    workers: 2,
    inject: async ({ cluster }) => {
      await cluster.crash();
      await sleep(3_000);
      await cluster.start();
    },
  },
  // Both workers reach Postgres only through pgbouncer in transaction mode (its defaults), and one
  // of them is killed: heartbeats, the reconciler and hand-backs must all work through the pooler.
  pooler: {
    workers: 2,
    pooled: true,
    inject: async ({ workers }) => kill(workers[0]),
  },
};

interface FaultContext {
  cluster: StoppableCluster;
  workers: ChildProcess[];
  start(): Promise<ChildProcess>;
}

/**
 * One fault in the middle of a `cells`-cell mock run (50 ms a call) on real `glaze worker` processes
 * and a Postgres of its own: injected at 30 % of the cells, then the run is watched until every cell
 * ends or `2 × lease + 30 s` pass. The lease is the workers' default (15 s).
 */
export async function benchFault(fault: Fault, cells: number, leaseSeconds = 15): Promise<FaultFigures> {
  const cluster = await startStoppableCluster();
  const watcher: Pool = createPool({ connectionString: cluster.url, max: 2, applicationName: 'glaze-bench' });
  const workers: ChildProcess[] = [];
  let bouncer: Pgbouncer | undefined;
  try {
    if (faults[fault].pooled) bouncer = await startPgbouncer(cluster.url, 'glaze');
    const workerUrl = bouncer?.url ?? cluster.url;
    const start = () => startWorkerProcess(workerUrl, { WORKER_DATABASE_URL: workerUrl });
    const { column } = await seedMockTable(watcher, cells, { latencyMs: 50 });
    for (let i = 0; i < faults[fault].workers; i++) workers.push(await start());
    const run = await startRun(watcher, { columnId: column.id, scope: 'all' });
    const ended = async () => {
      const { rows } = await watcher.query(
        `select count(*) filter (where status not in ('queued', 'running'))::int as ended,
                count(*) filter (where status = 'error')::int as errors,
                max(finished_at) as last
         from cell_states where run_id = $1`,
        [run.id],
      );
      return rows[0] as { ended: number; errors: number; last: Date | null };
    };
    while ((await ended()).ended < cells * 0.3) await sleep(50);
    await faults[fault].inject({ cluster, workers, start });
    const faultEnded = Date.now();
    const stuckAfterSeconds = 2 * leaseSeconds + 30;
    let state = { ended: 0, errors: 0, last: null as Date | null };
    while (Date.now() - faultEnded < stuckAfterSeconds * 1000) {
      state = await ended().catch(() => state);
      if (state.ended === cells) break;
      await sleep(100);
    }
    const { rows } = await watcher.query(
      `select r.total - (r.done_count + r.error_count + r.skipped_count + r.cancelled_count) as uncounted
       from runs r where r.id = $1`,
      [run.id],
    );
    const stuck = cells - state.ended;
    return {
      fault,
      cells,
      lost: Math.abs(Number(rows[0].uncounted) - stuck),
      stuck,
      stuckAfterSeconds,
      recoverySeconds: state.last ? Math.max(0, (state.last.getTime() - faultEnded) / 1000) : -1,
      cellErrorsFromDb: state.errors,
    };
  } finally {
    await Promise.all(workers.map(stopProcess));
    await bouncer?.close();
    await watcher.end().catch(() => {});
    await cluster.close();
  }
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The faults this machine can stage (`pooler` needs Debian's pgbouncer). */
export const faultNames = (Object.keys(faults) as Fault[]).filter(
  (fault) => !faults[fault].pooled || pgbouncerBinary !== undefined,
);
