import type { AnyProvider } from '@glaze/core';
import { type DatabaseHealth, isDatabaseUnavailable, type Logger, type Pool } from '@glaze/db';
import { rerunOwedStaleCells, runOwedAutoColumns } from '../deps/run-owed-auto-columns';
import type { Statement } from '../load-statement';
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
  /** Repairs that failed this pass (not for an outage, which ends the pass), with why; the others ran. */
  failures: Array<{ repair: string; error: Error }>;
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
 * to run in every worker at once: each statement is fenced (attempts, expired leases, skip locked).
 * Nothing stuck while one worker lives. A repair that fails for a reason other than an outage (a bug,
 * a statement the database refuses) is reported in `failures` and the later ones still run: one
 * broken repair must not stop the others in every pass.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { pool } = options;
  const failures: ReconcileResult['failures'] = [];
  const attempt = async <T>(repair: string, run: () => Promise<T>, none: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isDatabaseUnavailable(error) || !(error instanceof Error)) throw error;
      failures.push({ repair, error });
      return none;
    }
  };
  const after = options.deadAfterSeconds;
  /** A repair that is one statement (its one row of counts), by the repair's name. */
  const one = (repair: string, statement: Statement) =>
    attempt(repair, async () => (await pool.query({ ...statement, values: [after] })).rows[0], undefined);
  const dead = await one('unlockDeadWorkers', statements.unlockDeadWorkers);
  const swept = await attempt('sweepLeases', () => sweepLeases(pool, options.flusher), {
    requeued: 0,
    failed: 0,
  });
  const reopened = await one('reopenChunks', statements.reopenChunks);
  const resumed = await one('resumeExpansions', statements.resumeExpansions);
  const { providers } = options;
  return {
    ...swept,
    deadWorkers: dead?.deadWorkers ?? [],
    unlockedJobs: dead?.jobs ?? 0,
    jobless: reopened?.jobless ?? 0,
    closedEarly: reopened?.closedEarly ?? 0,
    expansionsResumed: resumed?.expansionsResumed ?? 0,
    downstreamPaid: await attempt('payOwedDownstream', () => payOwedDownstream(pool, providers, after), 0),
    autoRunPaid: await attempt('runOwedAutoColumns', () => runOwedAutoColumns(pool, providers, after), 0),
    staleRerun: await attempt('rerunOwedStaleCells', () => rerunOwedStaleCells(pool, providers, after), 0),
    failures,
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
      const { failures, ...repairs } = result;
      if (repaired > 0 || result.deadWorkers.length > 0)
        options.logger.warn(repairs, 'reconciler repaired work');
      for (const { repair, error } of failures)
        options.logger.warn({ repair, err: error }, 'reconciler repair failed; the others ran');
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
