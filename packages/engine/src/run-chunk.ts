import type { AnyProvider } from '@glaze/core';
import type { Logger, Pool } from '@glaze/db';
import { claimChunk } from './claim-chunk';
import type { ResultFlusher } from './flush-results';
import type { LeaseKeeper } from './lease-keeper';
import type { Limiter } from './limiter';
import { runCell } from './run-cell';
import { loadRunContext, type RunContext } from './run-context';

export interface ChunkPayload {
  runId: number;
  cellIds: number[];
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
 * The worker task for one chunk: claim (1 statement), run every cell concurrently within the
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
    const context = await contextFor(payload.runId);
    if (!context) return; // the run (or its column) was deleted
    const logger = deps.logger.child({ runId: payload.runId, jobId });
    const cells = await claimChunk(
      deps.pool,
      payload.runId,
      payload.cellIds,
      deps.leaseSeconds,
      context.readsEnrichments,
    );
    if (cells.length === 0) return; // cancelled, or already taken by another worker
    const secrets = await deps.secretsFor(context.tableId);
    deps.flusher.expect(context.tableId, cells.length);
    logger.debug({ cells: cells.length }, 'claimed chunk');
    await Promise.all(
      cells.map((cell) =>
        deps.limiter.run(async () => {
          const signal = deps.leases.hold(cell.id, cell.attempt);
          try {
            const result = await runCell({
              provider: context.provider,
              config: context.config,
              row: context.rowValues(cell.data, cell.cellValues),
              secrets,
              maxAttempts: context.maxAttempts,
              timeoutMs: deps.timeoutMs,
              backoffMs: deps.backoffMs,
              signal,
            });
            await deps.flusher.write(context.tableId, {
              ...result,
              id: cell.id,
              runId: payload.runId,
              attempt: cell.attempt,
            });
          } finally {
            deps.leases.release(cell.id);
          }
        }),
      ),
    );
  };
}
