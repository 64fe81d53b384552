import type { Pool } from '@glaze/db';
import type { CellOutcome, ResultFlusher } from './flush-results';
import { statements } from './sql';

interface Expired {
  id: number;
  tableId: number;
  runId: number;
  attempt: number;
  maxAttempts: number;
}

export interface SweepResult {
  requeued: number;
  failed: number;
}

/**
 * Finds cells whose worker died (lease expired): returns them to queued with new jobs, or ends them
 * in `error` once they have been lost `maxAttempts` times. Nothing stays `running` forever.
 */
export async function sweepLeases(
  pool: Pool,
  flusher: ResultFlusher,
  chunkSize: number,
): Promise<SweepResult> {
  const { rows } = await pool.query({ ...statements.expiredLeases, values: [10_000] });
  const expired = rows as Expired[];
  const byTable = new Map<number, Expired[]>();
  for (const cell of expired) byTable.set(cell.tableId, [...(byTable.get(cell.tableId) ?? []), cell]);
  let requeued = 0;
  let failed = 0;
  const writes: Promise<void>[] = [];
  for (const [tableId, cells] of byTable) {
    const retry = cells.filter((c) => c.attempt < c.maxAttempts);
    if (retry.length > 0) {
      const result = await pool.query({
        ...statements.requeueCells,
        values: [tableId, retry.map((c) => c.id), retry.map((c) => c.attempt), chunkSize],
      });
      requeued += result.rows[0]?.requeued ?? 0;
    }
    for (const cell of cells.filter((c) => c.attempt >= c.maxAttempts)) {
      const outcome: CellOutcome = {
        id: cell.id,
        runId: cell.runId,
        attempt: cell.attempt,
        status: 'error',
        value: null,
        error: `worker stopped responding ${cell.attempt} times while running this cell (lease expired)`,
        tries: cell.attempt,
        cost: null,
        meta: null,
      };
      failed++;
      writes.push(flusher.write(tableId, outcome));
    }
  }
  await Promise.all(writes);
  return { requeued, failed };
}
