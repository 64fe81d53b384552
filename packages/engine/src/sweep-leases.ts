import type { Pool } from '@glaze/db';
import type { ResultFlusher } from './flush-results';
import { statements } from './sql';

interface ExpiredChunk {
  id: number;
  tableId: number;
  runId: number;
  columnId: number;
  attempt: number;
  maxAttempts: number;
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
 * Finds chunks whose worker died (lease expired): returns them to queued with a new job, or ends their
 * remaining cells in `error` once the chunk has been lost `maxAttempts` times. Nothing stays
 * `running` forever.
 */
export async function sweepLeases(pool: Pool, flusher: ResultFlusher): Promise<SweepResult> {
  const { rows } = await pool.query({ ...statements.expiredLeases, values: [1000] });
  const expired = rows as ExpiredChunk[];
  const retry = expired.filter((k) => k.attempt < k.maxAttempts);
  let requeued = 0;
  if (retry.length > 0) {
    const result = await pool.query({
      ...statements.requeueChunks,
      values: [retry.map((k) => k.id), retry.map((k) => k.attempt)],
    });
    requeued = result.rows[0]?.requeued ?? 0;
  }
  const writes: Promise<void>[] = [];
  for (const chunk of expired.filter((k) => k.attempt >= k.maxAttempts)) {
    const error = `the worker running this cell stopped responding ${chunk.attempt} times (lease expired)`;
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
            meta: null,
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
