import type { AnyProvider } from '@glaze/core';
import type { Logger, Pool } from '@glaze/db';
import { CallSignals } from './call-signals';
import { claimChunk, withCellValues } from './claim-chunk';
import type { ResultFlusher } from './flush-results';
import type { LeaseKeeper } from './lease-keeper';
import type { Limiter } from './limiter';
import { runCell } from './run-cell';
import { loadRunContext, type RunContext } from './run-context';

export interface ChunkPayload {
  chunkId: number;
  runId: number;
}

export interface ChunkTaskDeps {
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  flusher: ResultFlusher;
  leases: LeaseKeeper;
  limiter: Limiter;
  leaseSeconds: number;
  timeoutMs: number;
  backoffMs: number;
  secretsFor: (tableId: number) => Promise<Readonly<Record<string, string>>>;
  logger: Logger;
}

/**
 * The worker task for one chunk: claim it (1 statement), run every cell concurrently within the
 * process-wide limit, hand results to the flusher and return once they are written.
 */
export function createChunkTask(deps: ChunkTaskDeps) {
  // A run's context is the same for all its chunks; keep the promise so concurrent chunks share one read.
  const contexts = new Map<number, Promise<RunContext | undefined>>();
  const contextFor = (runId: number) => {
    let context = contexts.get(runId);
    if (!context) {
      context = loadRunContext(deps.pool, runId, deps.providers);
      context.catch(() => contexts.delete(runId));
      contexts.set(runId, context);
      if (contexts.size > 1000) contexts.delete(contexts.keys().next().value as number);
    }
    return context;
  };

  return async function runChunk(payload: ChunkPayload, jobId: string): Promise<void> {
    // The run's context (cached after the first chunk) and the claim go out together: on a database
    // 100 ms away that saves a round trip on every run's first chunk.
    const [context, claimed] = await Promise.all([
      contextFor(payload.runId),
      claimChunk(deps.pool, payload.chunkId, deps.leaseSeconds),
    ]);
    if (!context) return; // the run (or its column) was deleted
    const cells = context.readsEnrichments ? await withCellValues(deps.pool, claimed) : claimed;
    const attempt = cells[0]?.attempt;
    if (attempt === undefined) return; // cancelled, finished, or taken by another worker
    deps.logger.debug(
      { runId: payload.runId, chunkId: payload.chunkId, jobId, cells: cells.length },
      'claimed chunk',
    );
    const secrets = await deps.secretsFor(context.tableId);
    const stop = deps.leases.hold(payload.chunkId, attempt);
    const signals = new CallSignals(stop, deps.timeoutMs);
    deps.flusher.expect(context.tableId, cells.length);
    let remaining = cells.length;
    try {
      await Promise.all(
        cells.map((cell) =>
          deps.limiter.run(async () => {
            const startedAt = new Date();
            const result = await runCell({
              provider: context.provider,
              config: context.config,
              inputColumns: context.inputColumns,
              row: context.rowValues(cell.data, cell.cellValues),
              secrets,
              maxAttempts: context.maxAttempts,
              backoffMs: deps.backoffMs,
              signal: () => signals.next(),
              stop,
            });
            remaining--;
            const closes = remaining === 0 ? { chunkId: payload.chunkId, attempt } : undefined;
            const outcome = { ...result, id: cell.id, chunkId: payload.chunkId, attempt, startedAt };
            await deps.flusher.write(context.tableId, outcome, closes);
          }),
        ),
      );
    } finally {
      signals.dispose();
      deps.leases.release(payload.chunkId);
    }
  };
}
