import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { hostname } from 'node:os';
import type { AnyProvider } from '@glaze/core';
import { DatabaseHealth, type Logger, type Pool, quietGraphileLogger } from '@glaze/db';
import { type Runner, run, type WorkerEvents } from 'graphile-worker';
import { Limiter } from '../limits/limiter';
import { type RateLimitOptions, RateLimits } from '../limits/rate-limits';
import { type EngineMetrics, noMetrics } from '../metrics/engine-metrics';
import { type ExpandPayload, expandRun } from '../runs/expand-run';
import { ClaimOnStart } from './claim-on-start';
import { ResultFlusher, type RunTotals } from './flush-results';
import { LeaseKeeper, type WorkerIdentity } from './lease-keeper';
import { startReconciler } from './reconcile';
import { statisticsRefresher } from './refresh-statistics';
import { type ChunkPayload, createChunkTask } from './run-chunk';
import { statements } from './statements';
import { watchBudgets } from './watch-budgets';

/** What a worker runs with when its options leave these out (the CLI's flags show the same). */
export const workerDefaults = { jobConcurrency: 8, cellConcurrency: 200, answerMemoryMb: 64 } as const;

export interface WorkerOptions {
  /** Pool for the worker's connections (`WORKER_DATABASE_URL`'s database). */
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  logger: Logger;
  /** Tracks whether the pool's database answers (one is made when absent). */
  health?: DatabaseHealth;
  /**
   * Jobs run at once in this process (default 8). A chunk's job mostly waits on the database (claim,
   * flush), so on a far database this, not the CPU, bounds a run: with 4, a 10,000-cell run 100 ms away
   * went in 5 waves of 4 chunks and its expansion job waited for the first wave (graphile-worker hands
   * a fetched batch out in no set order); with 8 it takes 2.6–2.8 s → 1.5–2.1 s. On a local database,
   * 100,000 mock cells: 15.6k/17.8k cells/s with 4, 18.8k/15.7k with 8 (same hour, load 13: noise).
   */
  jobConcurrency?: number;
  /** Provider calls in flight at once in this process, across all chunks. */
  cellConcurrency?: number;
  /**
   * Megabytes (of JSON, roughly bytes) of answers this process keeps in memory, in flight or waiting
   * for their write (default 64): calls wait while more would not fit (limits/limiter.ts). Small
   * answers never reach it; an `http` column of 3 MB pages runs ~20 calls at a time instead of 200.
   */
  answerMemoryMb?: number;
  /**
   * How long a claimed chunk stays ours without a heartbeat (default 15 s; beats every third of it).
   * A worker silent this long is dead: its chunks and jobs go back to the queue.
   */
  leaseSeconds?: number;
  /** How often to repair what dead workers and outages left (default a third of the lease). */
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
  /** Counts cells, chunks and runs as they are written (createPrometheusMetrics); none by default. */
  metrics?: EngineMetrics;
  /** Tuning of provider rate limits (the limits themselves are set with setRateLimit). */
  rateLimits?: RateLimitOptions;
  /**
   * `pool` goes through a transaction-mode pooler (detectTransactionPooler, and createPool's option
   * of the same name): graphile-worker then sends unnamed statements and looks for new chunk jobs
   * every 250 ms, since its LISTEN cannot hear them there.
   */
  transactionPooler?: boolean;
  /**
   * A session connection string on which the worker LISTENs for run starts, to claim a new run's
   * first chunks without waiting for their jobs (claim-on-start.ts). Default: `pool`'s own, and none
   * behind a transaction pooler (the jobs alone then).
   */
  listenUrl?: string;
  /**
   * How long `stop()` waits for an unreachable database so it can hand work back (default: the
   * lease). 0 when the database is the embedded one, which a Ctrl-C stops at the same time.
   */
  stopWaitMs?: number;
  /**
   * Awaited before a chunk of a table is claimed, once its run's context is known: the server that
   * runs this worker in its own process waits here for the table's viewers (FeedHub.waitForViewers),
   * so a run it watches does not outrun what its viewers are sent. None by default.
   */
  paceWith?: (tableId: number) => Promise<void>;
}

export interface GlazeWorker {
  flusher: ResultFlusher;
  /** This process's heartbeat identity (`glaze_workers.id`). */
  id: string;
  /** The current graphile-worker runner (replaced if it ever stops on its own). */
  readonly runner: Runner;
  /**
   * Stops taking jobs, lets the chunks in hand finish for half a lease, hands back what is left (no
   * loss: the cells keep their tries), writes every result and stops.
   */
  stop(): Promise<void>;
}

/**
 * Starts a worker: graphile-worker fetches chunk jobs (batched by its local queue), each chunk is
 * claimed in one statement, its cells run concurrently, and results are flushed in batches. A
 * heartbeat marks the process alive; a reconciler in every worker repairs what dead workers and
 * database outages leave behind.
 * @example const worker = await createWorker({ pool, providers: builtinProviders, logger });
 */
export async function createWorker(options: WorkerOptions): Promise<GlazeWorker> {
  const jobConcurrency = options.jobConcurrency ?? workerDefaults.jobConcurrency;
  const leaseSeconds = options.leaseSeconds ?? 15;
  const identity: WorkerIdentity = {
    id: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    host: hostname(),
    pid: process.pid,
  };
  const logger = options.logger.child({ component: 'worker', worker: identity.id });
  const ownHealth = options.health
    ? undefined
    : new DatabaseHealth(options.pool, logger, { name: 'WORKER_DATABASE_URL' });
  const health = options.health ?? (ownHealth as DatabaseHealth);
  // Runs whose written cost reached their budget are cancelled from the flush's answer.
  const budgets = watchBudgets(options.pool, logger);
  const metrics = options.metrics ?? noMetrics;
  const onRuns = (runs: RunTotals[]) => {
    budgets(runs);
    const ended = runs.filter((run) => run.status !== 'running').map((run) => run.id);
    if (ended.length > 0) metrics.runsEnded(ended);
    options.onRuns?.(runs);
  };
  const limiter = new Limiter(
    options.cellConcurrency ?? workerDefaults.cellConcurrency,
    (options.answerMemoryMb ?? workerDefaults.answerMemoryMb) * 1024 * 1024,
  );
  const flusher = new ResultFlusher(options.pool, {
    ...options.flush,
    logger,
    onRuns,
    health,
    memory: limiter,
  });
  const leases = new LeaseKeeper(options.pool, leaseSeconds, identity, health, logger);
  const limits = new RateLimits(options.pool, logger, options.rateLimits);
  const task = createChunkTask({
    pool: options.pool,
    providers: options.providers,
    flusher,
    leases,
    health,
    limiter,
    limits,
    maxWaitMs: options.maxWaitMs ?? 3_600_000,
    leaseSeconds,
    timeoutMs: options.timeoutMs ?? 30_000,
    backoffMs: options.backoffMs ?? 500,
    secretsFor: options.secretsFor ?? (async () => ({})),
    logger,
    metrics,
    paceWith: options.paceWith,
  });
  // Tables that grew a lot are re-measured, which replans the worker connections' generic plans
  // (refresh-statistics.ts): after each expansion batch (a run's growth) and each reconciler pass.
  const refreshStatistics = statisticsRefresher(options.pool, logger);
  const expand = async (payload: ExpandPayload) => {
    const batch = await expandRun(options.pool, payload);
    refreshStatistics();
    return batch;
  };
  const claims = new ClaimOnStart({
    url: options.transactionPooler
      ? options.listenUrl
      : (options.listenUrl ?? options.pool.options.connectionString),
    logger,
    health,
    maxChunks: Math.max(jobConcurrency, 4),
    runChunk: task,
    expand,
  });

  let stopping: Promise<void> | undefined;
  const startRunner = async (): Promise<Runner> => {
    // Resolve only once the worker listens for new jobs, so a run started right after is picked up at once.
    const events = new EventEmitter() as WorkerEvents;
    // A replaced runner's jobs are not ours any more: once unrenewed, the reconciler unlocks them.
    leases.jobHolders.clear();
    leases.heldJobs.clear();
    // The ids graphile-worker locks jobs with, in this process's heartbeat: if it stops, they are unlocked.
    events.on('pool:create', ({ workerPool }) => leases.jobHolders.add(workerPool.id));
    events.on('worker:create', ({ worker }) => leases.jobHolders.add(worker.workerId));
    // The jobs in hand (local queue or running); a job stops being held when its task ends, so one
    // whose completion is then lost shows up as locked but not held.
    events.on('localQueue:getJobs:complete', ({ jobs }) => {
      for (const job of jobs) leases.heldJobs.add(job.id);
    });
    events.on('localQueue:returnJobs', ({ jobs }) => {
      for (const job of jobs) leases.heldJobs.delete(job.id);
    });
    events.on('job:success', ({ job }) => leases.heldJobs.delete(job.id));
    events.on('job:error', ({ job }) => leases.heldJobs.delete(job.id));
    // graphile-worker's own logger is quiet: a chunk job that throws is said here, once per failure.
    events.on('job:error', ({ job, error }) => {
      // a chunk job names its run and chunk; an expansion job its run
      const { runId, chunkId } = job.payload as Partial<ChunkPayload>;
      logger.warn(
        { runId, chunkId, jobId: job.id, task: job.task_identifier, attempts: job.attempts, err: error },
        'job failed; it is retried',
      );
    });
    const listening = once(events, 'pool:listen:success');
    const started = await run({
      pgPool: options.pool,
      events,
      concurrency: jobConcurrency,
      noHandleSignals: true,
      // Behind a transaction pooler LISTEN never hears a new job: poll every 250 ms instead (a run
      // starts within that; an idle worker costs four small reads a second), and prepare nothing.
      pollInterval: options.transactionPooler ? 250 : 2000,
      noPreparedStatements: options.transactionPooler ?? false,
      logger: quietGraphileLogger,
      taskList: {
        // a chunk already in hand (claimed when its run started) ends with it
        glaze_chunk: (payload, helpers) => claims.job(payload as ChunkPayload, helpers.job.id),
        // a run's cells beyond its first batch, queued a batch per job (expand-run.sql); an outage
        // (the database gone, its disk full) is waited out as graphile-worker's retry would, but
        // without its backoff: the batch runs again from the run's cursor once the database is back
        glaze_expand: async (payload) => {
          await health.retry(() => expand(payload as ExpandPayload));
        },
      },
      preset: {
        worker: {
          // Fetch jobs in batches and complete them in batches: fewer round trips per chunk. A batch of
          // 8 (what 4 jobs at once fetched before), or one per job when more run at once: twice the
          // jobs, 16, took all 12 chunks of a 60-cell run into one process and left another worker
          // idle (rate-limits.test.ts, two processes).
          localQueue: { size: Math.max(jobConcurrency, 8) },
          completeJobBatchDelay: 0,
          failJobBatchDelay: 0,
        },
      },
    });
    await listening;
    // graphile-worker's pool ends itself after errors it cannot get past (a database away for long,
    // a job's completion or failure that could not be written); a worker must outlive any outage, so
    // a new runner takes over once the database answers. It takes over as soon as the pool begins
    // to shut down, not when its promise settles: after a database crash the pool's shutdown waited
    // for ever on jobs it could not give back, and the process, its heartbeat still beating, ran no
    // job again (a run stopped at 46 of 104 chunks). The old pool's jobs are unlocked by the
    // reconciler once its ids leave the heartbeat.
    let replaced = false;
    const replace = (why: string) => {
      if (replaced) return;
      replaced = true;
      void restart(why);
    };
    // on the next turn: a shutdown this process asked for has set `stopping` by then
    events.on('pool:gracefulShutdown', ({ message }) => setImmediate(() => !stopping && replace(message)));
    started.promise.then(
      () => replace('stopped'),
      (error) => replace(String(error)),
    );
    return started;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
  /**
   * Runs `work` until it succeeds or the worker stops, once the database answers, backing off from
   * 250 ms to 5 s between failures of any kind. Resolves false when stopped first.
   */
  const untilDone = async (work: () => Promise<void>): Promise<boolean> => {
    for (let delayMs = 250; !stopping; delayMs = Math.min(delayMs * 2, 5000)) {
      await health.whenAvailable();
      try {
        await work();
        return true;
      } catch (error) {
        health.failed(error);
        await sleep(delayMs);
      }
    }
    return false;
  };
  const restart = async (why: string) => {
    if (stopping) return;
    logger.warn({ reason: why }, 'job runner stopped; starting a new one when the database answers');
    // The replaced runner's graphile-worker ids: the jobs they still lock (a completion it could not
    // write, its local queue) are unlocked once the new runner runs, not a lease later by the
    // reconciler (pg-restart recovered in ~19 s instead of ~3.5 when it caught a batched completion).
    // Safe while its tasks still run here: a chunk's job fetched again waits for the chunk this
    // process has in hand (claim-on-start.ts), and an expansion is idempotent under its run's lock.
    const holders = [...leases.jobHolders];
    const restarted = await untilDone(async () => {
      runner = await startRunner();
      logger.info('job runner restarted');
    });
    if (!restarted || holders.length === 0) return;
    await untilDone(async () => {
      const { rows } = await options.pool.query({ ...statements.unlockReplacedRunner, values: [holders] });
      if (rows[0]?.jobs)
        logger.info({ unlockedJobs: rows[0].jobs }, "the replaced job runner's jobs unlocked");
    });
  };
  let runner = await startRunner();
  await Promise.all([leases.beat(), claims.listen()]);
  const stopReconciler = startReconciler({
    pool: options.pool,
    providers: options.providers,
    flusher,
    health,
    logger,
    deadAfterSeconds: leaseSeconds,
    intervalMs: options.sweepIntervalMs ?? (leaseSeconds * 1000) / 3,
    graceMs: leaseSeconds * 1000,
    afterPass: refreshStatistics,
  });
  return {
    flusher,
    id: identity.id,
    get runner() {
      return runner;
    },
    stop() {
      stopping ??= (async () => {
        stopReconciler();
        // graphile-worker cannot return the jobs in its local queue without the database (it throws
        // from inside its queue): wait for the database, up to a lease.
        const waitMs = options.stopWaitMs ?? leaseSeconds * 1000;
        if (!health.available && waitMs > 0) {
          logger.warn({ waitMs }, 'stopping while the database is unreachable: waiting for it');
          await Promise.race([health.whenAvailable(), sleep(waitMs)]);
        }
        if (!health.available) {
          logger.warn(
            'database still unreachable: stopping without handing back; the jobs and chunks in hand go back to the queue a lease after the last heartbeat, and results not yet written are run again',
          );
          leases.handBackAll('worker stopping');
          leases.stop();
          void claims.close();
          ownHealth?.close();
          return;
        }
        // Chunks still running after half a lease are handed back rather than left to expire.
        const handBack = setTimeout(() => leases.handBackAll('worker stopping'), (leaseSeconds * 1000) / 2);
        try {
          await Promise.all([
            runner.stop().catch((error) => logger.warn({ err: error }, 'stopping the job runner')),
            claims.close(),
          ]);
        } finally {
          clearTimeout(handBack);
        }
        await flusher.drain();
        leases.stop();
        await leases.retire();
        await limits.close();
        ownHealth?.close();
      })();
      return stopping;
    },
  };
}
