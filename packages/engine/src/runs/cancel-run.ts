import { type Pool, withTransaction } from '@glaze/db';
import { runStatements } from './statements';

export interface CancelledRun {
  id: number;
  /** Cells that were queued or running and are now cancelled. */
  cancelled: number;
}

/**
 * Cancels a running run: its queued and running cells become `cancelled` at once; results still in
 * flight are discarded by the fence. Returns undefined when the run is unknown or already finished.
 * The run's expansion lock first (lock-run.sql: a batch of an expanding run in progress commits
 * before), so the cancel's statement sees every cell queued so far, and no batch follows.
 */
export async function cancelRun(
  pool: Pool,
  runId: number,
  options: { reason?: string; workspaceId?: number } = {},
): Promise<CancelledRun | undefined> {
  const { rows } = await withTransaction(pool, async (client) => {
    await client.query({ ...runStatements.lockRun, values: [runId] });
    return client.query({
      ...runStatements.cancelRun,
      values: [runId, options.reason ?? 'cancelled by user', options.workspaceId ?? null],
    });
  });
  const row = rows[0];
  return row ? { id: row.id, cancelled: row.cancelled } : undefined;
}
