import type { Pool } from '@glaze/db';
import type { ResultFlusher } from './flush-results';
import { statements } from './statements';

interface ExpiredChunk {
  id: number;
  tableId: number;
  runId: number;
  columnId: number;
  attempt: number;
  /** Times a worker died holding this chunk before. */
  losses: number;
  claimedBy: string | null;
  maxAttempts: number;
  /** The error that ended the last attempt, when its worker lived to write it (migration 040). */
  failure: string | null;
  /** Rows of the cells the chunk still owes. */
  rowIds: number[];
}

export interface SweepResult {
  /** Chunks handed back to the queue with a new job. */
  requeued: number;
  /** Cells ended in error because their chunk was lost `maxAttempts` times. */
  failed: number;
}

/**
 * Finds chunks whose worker died (lease expired): returns them to queued with a new job, counting the
 * loss, or ends their remaining cells in `error` once workers died holding the chunk `maxAttempts`
 * times (a chunk whose cells kill every worker that runs them must not loop for ever).
 */
export async function sweepLeases(pool: Pool, flusher: ResultFlusher): Promise<SweepResult> {
  const { rows } = await pool.query({ ...statements.expiredLeases, values: [1000] });
  const expired = rows as ExpiredChunk[];
  const retry = expired.filter((k) => k.losses + 1 < k.maxAttempts);
  let requeued = 0;
  if (retry.length > 0) {
    const result = await pool.query({
      ...statements.requeueChunks,
      values: [retry.map((k) => k.id), retry.map((k) => k.attempt), true],
    });
    requeued = result.rows[0]?.requeued ?? 0;
  }
  const writes: Promise<void>[] = [];
  for (const chunk of expired.filter((k) => k.losses + 1 >= k.maxAttempts)) {
    const times = chunk.losses === 0 ? 'once' : `${chunk.losses + 1} times`;
    const error = chunk.failure
      ? `its chunk failed ${times}, the last time with: ${chunk.failure}`
      : `the worker running this cell stopped responding ${times} (lease expired)`;
    chunk.rowIds.forEach((rowId, index) => {
      const closes =
        index === chunk.rowIds.length - 1 ? { chunkId: chunk.id, attempt: chunk.attempt } : undefined;
      writes.push(
        flusher.write(
          chunk.tableId,
          {
            columnId: chunk.columnId,
            rowId,
            chunkId: chunk.id,
            attempt: chunk.attempt,
            status: 'error',
            value: null,
            error,
            tries: 0,
            cost: null,
            meta: chunk.claimedBy ? { lostBy: chunk.claimedBy } : null,
            startedAt: null,
          },
          closes,
        ),
      );
    });
  }
  await Promise.all(writes);
  return { requeued, failed: writes.length };
}
