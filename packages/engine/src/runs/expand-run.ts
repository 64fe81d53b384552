import { type Pool, withTransaction } from '@glaze/db';
import { runStatements } from './statements';

/** The `glaze_expand` job's payload (start-run.sql and expand-run.sql write it). */
export interface ExpandPayload {
  runId: number;
  chunkSize: number;
  /** Rows in the batch (its cells: those of its rows the run's scope targets). */
  rows: number;
}

export interface ExpandedBatch {
  /** Cells queued by this batch. */
  queued: number;
  /** More rows may follow: the next batch's job is queued. */
  expanding: boolean;
}

/**
 * Queues a running run's next batch of cells in one statement (the `glaze_expand` worker task), from
 * the last row the previous batch covered; a full batch queues the job for the next one. The run's
 * expansion lock first (lock-run.sql), in the same transaction, so a cancel and a batch see each
 * other's writes. A run that
 * is finished, cancelled or done expanding is left alone (undefined).
 * @example await expandRun(pool, { runId: 7, chunkSize: 500, rows: 25_000 })
 */
export async function expandRun(pool: Pool, payload: ExpandPayload): Promise<ExpandedBatch | undefined> {
  const { rows } = await withTransaction(pool, async (client) => {
    await client.query({ ...runStatements.lockRun, values: [payload.runId] });
    return client.query({
      ...runStatements.expandRun,
      values: [payload.runId, payload.chunkSize, payload.rows],
    });
  });
  const row = rows[0];
  return row ? { queued: row.queued, expanding: row.expanding } : undefined;
}
