import type { AnyProvider } from '@glaze/core';
import type { DatabaseHealth, Logger, Pool } from '@glaze/db';
import { rerunOwedStaleCells, runOwedAutoColumns } from '../deps/run-owed-auto-columns';
import type { ResultFlusher } from './flush-results';
import { payOwedDownstream } from './pay-owed-downstream';
import { statements } from './statements';
import { type SweepResult, sweepLeases } from './sweep-leases';

export interface ReconcileResult extends SweepResult {
  /** Worker processes whose heartbeat stopped. */
  deadWorkers: string[];
  /** Jobs they had locked, unlocked so that they run again. */
  unlockedJobs: number;
  /** Queued chunks that had no job able to run them, given one. */
  jobless: number;
  /** Chunks closed while cells were still queued, reopened. */
  closedEarly: number;
  /** Expanding runs whose `glaze_expand` job could not run any more, given a new one. */
  expansionsResumed: number;
  /** Finished chunks whose downstream auto-run columns never got their rows, given them. */
  downstreamPaid: number;
  /** Tables whose appended rows never had their auto-run columns started, started. */
  autoRunPaid: number;
  /** Tables whose edited auto-run cells stayed stale (the re-run never started), re-run. */
  staleRerun: number;
}

export interface ReconcileOptions {
  pool: Pool;
  flusher: ResultFlusher;
  /** A worker whose heartbeat is older than this is dead. */
  deadAfterSeconds: number;
  /** To tell which auto-run columns read a chunk's column. */
  providers: ReadonlyMap<string, AnyProvider>;
}

/**
 * Repairs every state that would leave a cell waiting for ever, in one pass of seven steps:
 * jobs locked by a worker whose heartbeat stopped are unlocked; chunks whose lease expired go back to
 * the queue (or end in error after `maxAttempts` losses); queued chunks with no runnable job get one,
 * and chunks closed with queued cells are reopened; expanding runs whose expansion job cannot run
 * get a new one; finished chunks that still owe auto-run columns their rows start those runs, and so
 * do rows appended whose auto-run columns never started, and auto-run cells an edit left stale. Safe
 * to run in every worker at once: each statement is fenced (attempts, expired
 * leases, skip locked). Nothing stuck while one worker lives.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { pool } = options;
  const dead = await pool.query({ ...statements.unlockDeadWorkers, values: [options.deadAfterSeconds] });
  const swept = await sweepLeases(pool, options.flusher);
  const reopened = await pool.query({ ...statements.reopenChunks, values: [options.deadAfterSeconds] });
  const resumed = await pool.query({ ...statements.resumeExpansions, values: [options.deadAfterSeconds] });
  const downstreamPaid = await payOwedDownstream(pool, options.providers, options.deadAfterSeconds);
  const autoRunPaid = await runOwedAutoColumns(pool, options.providers, options.deadAfterSeconds);
  const staleRerun = await rerunOwedStaleCells(pool, options.providers, options.deadAfterSeconds);
  return {
    ...swept,
    deadWorkers: dead.rows[0]?.deadWorkers ?? [],
    unlockedJobs: dead.rows[0]?.jobs ?? 0,
    jobless: reopened.rows[0]?.jobless ?? 0,
    closedEarly: reopened.rows[0]?.closedEarly ?? 0,
    expansionsResumed: resumed.rows[0]?.expansionsResumed ?? 0,
    downstreamPaid,
    autoRunPaid,
    staleRerun,
  };
}

/**
 * Runs `reconcile` every `intervalMs` and logs what it repaired, then `afterPass` (the worker refreshes
 * the planner's statistics of tables that grew there). Skips passes for one lease after the
 * database comes back from an outage: live workers have not renewed their leases and heartbeats yet,
 * and taking their chunks would only repeat paid calls.
 */
export function startReconciler(
  options: ReconcileOptions & {
    intervalMs: number;
    graceMs: number;
    health: DatabaseHealth;
    logger: Logger;
    afterPass?: () => void;
  },
): () => void {
  let running = false;
  const pass = async () => {
    const { health } = options;
    if (running || !health.available || Date.now() - health.backAt < options.graceMs) return;
    running = true;
    try {
      const result = await reconcile(options);
      const repaired =
        result.requeued +
        result.failed +
        result.unlockedJobs +
        result.jobless +
        result.closedEarly +
        result.expansionsResumed +
        result.downstreamPaid +
        result.autoRunPaid +
        result.staleRerun;
      if (repaired > 0 || result.deadWorkers.length > 0)
        options.logger.warn(result, 'reconciler repaired work');
    } catch (error) {
      if (!health.failed(error)) options.logger.warn({ err: error }, 'reconciler pass failed');
    } finally {
      running = false;
    }
    options.afterPass?.();
  };
  const timer = setInterval(() => void pass(), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
