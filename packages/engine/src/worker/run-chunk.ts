import { type AnyProvider, toError } from '@glaze/core';
import { type DatabaseHealth, type Logger, outageLabel, type Pool } from '@glaze/db';
import { type Redactor, redactorFor } from '@glaze/providers';
import { runWithinBudget } from '../budget/run-within-budget';
import { type OwingChunk, oweDownstream, payDownstream } from '../deps/owed-downstream';
import { holdBackWaiting, type WaitState } from '../deps/wait-for-upstream';
import type { Limiter } from '../limits/limiter';
import type { RateLimits } from '../limits/rate-limits';
import type { EngineMetrics } from '../metrics/engine-metrics';
import { cancelRun } from '../runs/cancel-run';
import { secretRefusal } from '../secrets/secret-refusal';
import { CallSignals } from './call-signals';
import { ChunkWriter } from './chunk-writer';
import { type ClaimedCell, claimChunk, withCellValues } from './claim-chunk';
import type { ResultFlusher } from './flush-results';
import { handBackChunks } from './hand-back-chunks';
import { HandBack, type LeaseKeeper } from './lease-keeper';
import { type CallPlan, planCalls, storeAnswers } from './plan-calls';
import { type CellCaller, type CellRunResult, redacted, runCell } from './run-cell';
import { loadRunContext, type RunContext } from './run-context';
import { statements } from './statements';
import { sweepLeases } from './sweep-leases';

export interface ChunkPayload extends WaitState {
  chunkId: number;
  runId: number;
}

export interface ChunkTaskDeps {
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  flusher: ResultFlusher;
  leases: LeaseKeeper;
  health: DatabaseHealth;
  limiter: Limiter;
  limits: RateLimits;
  leaseSeconds: number;
  timeoutMs: number;
  backoffMs: number;
  /** How long a cell waits for an upstream cell of its row before it ends in error. */
  maxWaitMs: number;
  secretsFor: (tableId: number) => Promise<Readonly<Record<string, string>>>;
  logger: Logger;
  metrics: EngineMetrics;
  /** Awaited before a chunk of a known table is claimed (WorkerOptions.paceWith). */
  paceWith?: (tableId: number) => Promise<void>;
}

/**
 * Chunks of one table a worker keeps working whatever the pace says (`paceWith`): with none, a run
 * waiting for its viewers left a core idle while the feed read, and ran at 0.59-0.71 of its unwatched
 * speed; with 3, 1,000 viewers of a 100,000-cell run saw cells 366-621 ms (p99) after their flush
 * at 0.72-0.83 of it, 0.58 once (2 cores; docs/BENCHMARKS.md, Fan-out).
 */
const paceFloor = 3;

/** A run's context as the chunk task keeps it: the read (shared by concurrent chunks), then its result. */
interface ContextEntry {
  loading: Promise<RunContext | undefined>;
  loaded?: RunContext;
}

/**
 * The worker task for one chunk: claim it (1 statement), hold back cells whose upstream cells are
 * still running, decide runIf/blank/cached cells without a call, run the rest concurrently within
 * the process-wide limit, the provider's rate limits and the run's budget, hand results to the
 * flusher and return once they are written.
 */
export function createChunkTask(deps: ChunkTaskDeps) {
  // A run's context is the same for all its chunks; keep the promise so concurrent chunks share one
  // read, and the context once loaded, for claims sent beside contextFor.
  const contexts = new Map<number, ContextEntry>();
  const contextFor = (runId: number) => {
    let entry = contexts.get(runId);
    if (!entry) {
      const created = {} as ContextEntry;
      created.loading = loadRunContext(deps.pool, runId, deps.providers).then((loaded) => {
        if (loaded) {
          created.loaded = loaded;
          // The provider's limits came with the context: its gates need no read of their own now.
          deps.limits.readElsewhere(
            loaded.extras.workspaceId,
            loaded.provider.id,
            loaded.provider.limitHost?.(loaded.config),
            loaded.limits.rows,
            loaded.limits.readAt,
          );
        }
        return loaded;
      });
      entry = created;
      created.loading.catch(() => contexts.delete(runId));
      contexts.set(runId, entry);
      if (contexts.size > 1000) contexts.delete(contexts.keys().next().value as number);
    }
    return entry.loading;
  };

  /** Claims the chunk, waiting out an unreachable database rather than failing the job. */
  const claim = (payload: ChunkPayload) =>
    deps.health.retry(async () => {
      // The run's context (cached after the first chunk) and the claim go out together: on a
      // database 100 ms away that saves a round trip on every run's first chunk. So a run's first
      // claims here fetch whole rows; the next fetch only the values the context says its cells read.
      const [context, claimed] = await Promise.all([
        contextFor(payload.runId),
        claimChunk(
          deps.pool,
          payload.chunkId,
          deps.leaseSeconds,
          deps.leases.identity.id,
          contexts.get(payload.runId)?.loaded?.readColumns ?? null,
        ),
      ]);
      return { context, claimed };
    });

  /** Chunks being worked per table, for the pace's floor. */
  const working = new Map<number, number>();

  /** True once every result of the chunk is written (not when it was not claimed or was handed back). */
  return async function runChunk(payload: ChunkPayload, jobId: string): Promise<boolean> {
    // The pace is kept before the claim, so the cells do not read `running` while the chunk waits;
    // a run's first chunks (its context not yet read) go at once.
    const known = contexts.get(payload.runId)?.loaded;
    if (known && deps.paceWith && (working.get(known.tableId) ?? 0) >= paceFloor)
      await deps.paceWith(known.tableId);
    const { context, claimed } = await claim(payload);
    if (!context) return false; // the run (or its column) was deleted
    const { tableId } = context;
    working.set(tableId, (working.get(tableId) ?? 0) + 1);
    try {
      return await runClaimed(payload, jobId, context, claimed);
    } finally {
      const left = (working.get(tableId) ?? 1) - 1;
      if (left > 0) working.set(tableId, left);
      else working.delete(tableId);
    }
  };

  async function runClaimed(
    payload: ChunkPayload,
    jobId: string,
    context: RunContext,
    claimed: ClaimedCell[],
  ): Promise<boolean> {
    const attempt = claimed[0]?.attempt;
    if (attempt === undefined) return false; // cancelled, finished, or taken by another worker
    // Every line about this chunk names it, its run and its table: grep one id to follow a run.
    const logger = deps.logger.child({
      runId: payload.runId,
      chunkId: payload.chunkId,
      tableId: context.tableId,
    });
    logger.debug({ jobId, attempt, cells: claimed.length }, 'claimed chunk');
    const claimedAt = performance.now();
    const stop = deps.leases.hold(payload.chunkId, attempt);
    const signals = new CallSignals(stop, deps.timeoutMs);
    let plan: CallPlan | undefined;
    let current: ChunkWriter | undefined;
    let redactor: Redactor | undefined;
    // Handing back: what is computed from now on is not written (the cells keep their tries).
    const abandon = () => {
      if (stop.reason instanceof HandBack) current?.abandon();
    };
    /** Writes what was finished before the hand-back, then returns the chunk to the queue. */
    const giveBack = async (reason: string) => {
      await current?.settled().catch(() => {});
      const chunk = { chunkId: payload.chunkId, attempt };
      const requeued = await deps.health.retry(() => handBackChunks(deps.pool, [chunk]));
      logger.info({ requeued }, reason);
    };
    stop.addEventListener('abort', abandon, { once: true });
    // Rows this chunk finishes are owed to the auto-run columns that read its column, durably, until
    // their runs are started (deps/owed-downstream.ts): a worker killed in between lost them.
    const owing: OwingChunk | undefined =
      context.extras.autoRunDownstream.length > 0
        ? {
            chunkId: payload.chunkId,
            columnId: context.columnId,
            downstream: context.extras.autoRunDownstream,
          }
        : undefined;
    try {
      if (owing) await oweDownstream(deps.pool, payload.chunkId, attempt);
      const wait = await holdBackWaiting(deps.pool, {
        chunkId: payload.chunkId,
        attempt,
        upstream: context.extras.upstream,
        cells: claimed,
        state: payload,
        maxWaitMs: deps.maxWaitMs,
      });
      // The upstream values are read after the wait found their cells settled, not with the claim:
      // read before, a value written between the two reads was missed (the cell ran on a blank
      // input the wait then let through; seen under load in run-all-columns.test.ts).
      const ready = context.readsEnrichments
        ? await deps.health.retry(() => withCellValues(deps.pool, context.columnId, wait.ready))
        : wait.ready;
      const secrets = await deps.secretsFor(context.tableId);
      const writer = new ChunkWriter(
        deps.flusher,
        context.tableId,
        context.columnId,
        payload.chunkId,
        attempt,
        ready.length + wait.expired.length,
        recovered(claimed),
        (result, startedAt) =>
          deps.metrics.cellWritten(
            context.provider.id,
            result,
            startedAt === null ? null : Date.now() - startedAt,
          ),
      );
      current = writer;
      if (stop.aborted) abandon();
      for (const cell of wait.expired)
        writer.write(cell, failure(wait.expiredError ?? 'waited too long'), null);
      const prepared = ready.map((cell) => ({
        cell,
        row: context.rowValues(cell.data, cell.cellValues),
      }));
      plan = await planCalls(deps.pool, context, prepared, secrets);
      // Every form of every secret, compiled once per secrets object (at most once per chunk);
      // none at all when there are no secrets.
      redactor = redactorFor(secrets);
      // Cached answers were redacted when first written, but an entry cached before meta was
      // redacted (or before a secret was added) could still hold one.
      for (const { cell, result } of plan.settled)
        writer.write(cell, redactor ? redacted(result, redactor) : result, null);
      const following = plan.followers.map((follower) =>
        follower.shared.then((result) =>
          result ? writer.write(follower.cell, result, null) : writer.skip(1),
        ),
      );
      // Everything a call needs but its row is the same for the whole chunk: built once here.
      const caller: CellCaller = {
        provider: context.provider,
        config: context.config,
        secrets,
        redactor,
        refusal: secretRefusal(context.provider, context.config, secrets),
        maxAttempts: context.maxAttempts,
        backoffMs: deps.backoffMs,
        signal: () => signals.next(),
        stop,
        gate: deps.limits.gate(
          context.extras.workspaceId,
          context.provider.id,
          context.provider.limitHost?.(context.config),
        ),
      };
      const caching = context.cacheTtlSeconds > 0;
      const answered: Array<{ key?: string; result: CellRunResult | undefined }> = [];
      const budget = { pool: deps.pool, runId: context.runId, budget: context.extras.budget, stop };
      const outcome = await runWithinBudget(budget, plan.calls, async (call) => {
        // The limiter bounds provider calls in flight, so a slot is held for the call only: held
        // until the flush, it made the next chunk's cells wait for this chunk's write (7.7k -> 11.9k
        // cells/s at 50,000 mock cells).
        // It also keeps the answers in memory within a budget: a column's calls in flight are bounded
        // by what its answers weigh, and none starts while unwritten answers fill the budget.
        const entered = deps.limiter.enter(context.columnId);
        if (entered) await entered;
        const startedAt = Date.now();
        try {
          const result = await runCell(caller, call.row);
          call.settle(result);
          if (caching) answered.push({ key: call.key, result });
          // handed to the flusher (which holds its size against the budget) before the slot is free
          writer.write(call.cell, result, startedAt);
        } finally {
          deps.limiter.leave(context.columnId);
        }
        // A budget's next wave of calls is sized from the cost already written.
        if (budget.budget !== null) await writer.settled();
      });
      for (const call of outcome.notRun) call.settle(undefined);
      writer.skip(outcome.notRun.length);
      await Promise.all(following);
      await writer.settled();
      const elapsedMs = performance.now() - claimedAt;
      deps.metrics.chunkWritten(context.provider.id, elapsedMs);
      logger.debug({ cells: claimed.length, ms: Math.round(elapsedMs) }, 'chunk written');
      if (stop.reason instanceof HandBack) {
        await giveBack(`${stop.reason.message}: chunk requeued`);
        return false;
      }
      // The flush with the last result could not close the chunk while another of its batches was in
      // flight (it saw their cells queued): every cell is written now, so close it here.
      if (!writer.closedByFlush && writer.handedOver > 0)
        await deps.pool.query({ ...statements.closeChunk, values: [payload.chunkId, attempt] });
      if (outcome.exhausted) await cancelRun(deps.pool, context.runId, { reason: outcome.exhausted });
      // The results are written: a failure from here on must not fail (and re-run) the chunk's job.
      try {
        if (caching) await storeAnswers(deps.pool, context, answered);
        // on a later attempt, earlier ones wrote some of the rows: the owed rows are read back
        if (owing) await payDownstream(deps.pool, owing, attempt === 1 ? writer.doneRows : undefined);
      } catch (error) {
        logger.warn(
          { err: error },
          'caching answers or queueing downstream failed; the reconciler starts the downstream runs',
        );
      }
      return true;
    } catch (error) {
      // A database error is never a cell's outcome: the chunk's calls stop and it goes back to the
      // queue once the database answers; the cells keep their tries.
      if (!deps.health.failed(error) && !(stop.reason instanceof HandBack)) {
        // The job fails and the chunk's lease ends here: the sweep requeues it at once, counting the
        // attempt, or at its last allowed attempt ends its cells in error saying why (sweep-leases.ts)
        // rather than that this worker stopped responding. Before, it waited out its lease (15 s).
        // Released first, so that no heartbeat renews the lease after it is ended.
        deps.leases.release(payload.chunkId);
        const message = toError(error).message;
        const values = [payload.chunkId, attempt, redactor ? redactor.text(message) : message];
        await deps.pool.query({ ...statements.recordFailure, values }).catch(() => {});
        await sweepLeases(deps.pool, deps.flusher).catch((swept: unknown) => {
          logger.warn({ err: swept }, 'could not requeue a failed chunk now; the reconciler will');
        });
        throw error;
      }
      deps.leases.handBack(payload.chunkId, outageLabel(deps.health.outage ?? 'unreachable'));
      await deps.health.whenAvailable();
      await giveBack(`${(stop.reason as Error).message}: chunk requeued`);
      return false;
    } finally {
      // Never leave identical cells of other chunks waiting on a call that will not happen.
      for (const call of plan?.calls ?? []) call.settle(undefined);
      signals.dispose();
      deps.leases.release(payload.chunkId);
    }
  }
}

/** For cells whose previous worker died holding them: which attempt this is, and who had them. */
function recovered(claimed: ClaimedCell[]): { attempt: number; previousWorker: string } | undefined {
  const first = claimed[0];
  return first?.lostBy ? { attempt: first.attempt, previousWorker: first.lostBy } : undefined;
}

function failure(error: string): CellRunResult {
  return { status: 'error', value: null, error, tries: 0, cost: null, meta: null };
}
