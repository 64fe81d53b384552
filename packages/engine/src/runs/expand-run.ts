import type { Pool } from '@glaze/db';
import type { QueryResult } from 'pg';
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
  /** The chunks it queued, in row order (each has its job). */
  chunkIds: number[];
}

/**
 * Queues a running run's next batch of cells in one statement (the `glaze_expand` worker task), from
 * the last row the previous batch covered; a full batch queues the job for the next one. The run's
 * expansion lock first (lock-run.sql), in the same transaction, so a cancel and a batch see each
 * other's writes. A run that is finished, cancelled or done expanding is left alone (undefined).
 *
 * The transaction goes out as one message (`begin; lock; expand; commit`, a simple query with the
 * three integers written in): one round trip instead of four. With the database 100 ms away that is
 * 0.3 s off every batch, which is on a run's path: a batch's chunks are invisible to the workers
 * until it commits.
 * @example await expandRun(pool, { runId: 7, chunkSize: 500, rows: 25_000 })
 */
export async function expandRun(pool: Pool, payload: ExpandPayload): Promise<ExpandedBatch | undefined> {
  const values = [payload.runId, payload.chunkSize, payload.rows];
  const text = [
    'begin',
    written(runStatements.lockRun.text, values),
    written(runStatements.expandRun.text, values),
    'commit',
  ].join('\n;\n');
  const client = await pool.connect();
  try {
    const results = (await client.query(text)) as unknown as QueryResult[];
    const row = results[2]?.rows[0];
    if (!row) return undefined;
    const chunkIds = ((row.chunkIds as string[] | null) ?? []).map(Number);
    return { queued: row.queued, expanding: row.expanding, chunkIds };
  } catch (error) {
    // The message stops at its failing statement and leaves the transaction open, aborted.
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A statement with its integer parameters written in (`$2` → `500`): a simple query takes none. */
function written(text: string, values: readonly number[]): string {
  for (const [index, value] of values.entries()) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`expand-run: parameter $${index + 1} must be a whole number, got ${value}`);
  }
  return text
    .trimEnd()
    .replace(/;$/, '')
    .replace(/\$(\d+)/g, (_, n: string) => String(values[Number(n) - 1]));
}
