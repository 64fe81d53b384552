import { EventEmitter, once } from 'node:events';
import type { AnyProvider } from '@glaze/core';
import { type Logger, type Pool, quietGraphileLogger } from '@glaze/db';
import { type Runner, run, type WorkerEvents } from 'graphile-worker';
import { watchBudgets } from './budget/watch-budgets';
import { ResultFlusher, type RunTotals } from './flush-results';
import { LeaseKeeper } from './lease-keeper';
import { Limiter } from './limiter';
import { type RateLimitOptions, RateLimits } from './limits/rate-limits';
import { type ChunkPayload, createChunkTask } from './run-chunk';
import { sweepLeases } from './sweep-leases';

export interface WorkerOptions {
  /** Pool for the worker's connections (`WORKER_DATABASE_URL`'s database). */
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  logger: Logger;
  /** Chunk jobs run at once in this process. */
  jobConcurrency?: number;
  /** Provider calls in flight at once in this process, across all chunks. */
  cellConcurrency?: number;
  /** How long a claimed cell is ours without a heartbeat. */
  leaseSeconds?: number;
  /** How often to look for cells whose worker died. */
  sweepIntervalMs?: number;
  /** Per provider call. */
  timeoutMs?: number;
  /** First retry delay (doubles each retry). */
  backoffMs?: number;
  flush?: { maxBatch?: number; maxDelayMs?: number };
  /** Secrets by workspace, for `{{secret.NAME}}`. */
  secretsFor?: (tableId: number) => Promise<Readonly<Record<string, string>>>;
  /** Called with run counters after each flush (budgets, progress logs). */
  onRuns?: (runs: RunTotals[]) => void;
  /** How long a cell waits for an upstream cell of its row before it ends in error (default 1 h). */
  maxWaitMs?: number;
  /** Tuning of provider rate limits (the limits themselves are set with setRateLimit). */
  rateLimits?: RateLimitOptions;
  /**
   * `pool` goes through a transaction-mode pooler (detectTransactionPooler, and createPool's option
   * of the same name): graphile-worker then sends unnamed statements and looks for new chunk jobs
   * every 250 ms, since its LISTEN cannot hear them there.
   */
  transactionPooler?: boolean;
}

export interface GlazeWorker {
  flusher: ResultFlusher;
  runner: Runner;
  /** Finishes the chunks in hand, writes their results and stops. */
  stop(): Promise<void>;
}

/**
 * Starts a worker: graphile-worker fetches chunk jobs (batched by its local queue), each chunk is
 * claimed in one statement, its cells run concurrently, and results are flushed in batches.
 * @example const worker = await createWorker({ pool, providers: builtinProviders, logger });
 */
export async function createWorker(options: WorkerOptions): Promise<GlazeWorker> {
  const jobConcurrency = options.jobConcurrency ?? 4;
  const leaseSeconds = options.leaseSeconds ?? 30;
  const logger = options.logger.child({ component: 'worker' });
  // Runs whose written cost reached their budget are cancelled from the flush's answer.
  const budgets = watchBudgets(options.pool, logger);
  const onRuns = (runs: RunTotals[]) => {
    budgets(runs);
    options.onRuns?.(runs);
  };
  const flusher = new ResultFlusher(options.pool, { ...options.flush, logger, onRuns });
  const leases = new LeaseKeeper(options.pool, leaseSeconds, logger);
  const limits = new RateLimits(options.pool, logger, options.rateLimits);
  const task = createChunkTask({
    pool: options.pool,
    providers: options.providers,
    flusher,
    leases,
    limiter: new Limiter(options.cellConcurrency ?? 200),
    limits,
    maxWaitMs: options.maxWaitMs ?? 3_600_000,
    leaseSeconds,
    timeoutMs: options.timeoutMs ?? 30_000,
    backoffMs: options.backoffMs ?? 500,
    secretsFor: options.secretsFor ?? (async () => ({})),
    logger,
  });
  // Resolve only once the worker listens for new jobs, so a run started right after is picked up at once.
  const events = new EventEmitter() as WorkerEvents;
  const listening = once(events, 'pool:listen:success');
  const runner = await run({
    pgPool: options.pool,
    events,
    concurrency: jobConcurrency,
    noHandleSignals: true,
    // Behind a transaction pooler LISTEN never hears a new job: poll every 250 ms instead (a run
    // starts within that; an idle worker costs four small reads a second), and prepare nothing.
    pollInterval: options.transactionPooler ? 250 : 2000,
    noPreparedStatements: options.transactionPooler ?? false,
    logger: quietGraphileLogger,
    taskList: { glaze_chunk: (payload, helpers) => task(payload as ChunkPayload, helpers.job.id) },
    preset: {
      worker: {
        // Fetch jobs in batches and complete them in batches: fewer round trips per chunk.
        localQueue: { size: jobConcurrency * 2 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  });
  await listening;
  const sweeper = setInterval(() => {
    sweepLeases(options.pool, flusher)
      .then((swept) => {
        if (swept.requeued + swept.failed > 0) logger.warn(swept, 'recovered chunks of a lost worker');
      })
      .catch((error) => logger.warn({ err: error }, 'lease sweep failed'));
  }, options.sweepIntervalMs ?? 5000);
  sweeper.unref();
  let stopping: Promise<void> | undefined;
  return {
    flusher,
    runner,
    stop() {
      stopping ??= (async () => {
        clearInterval(sweeper);
        await runner.stop();
        await flusher.drain();
        leases.stop();
        await limits.close();
      })();
      return stopping;
    },
  };
}
