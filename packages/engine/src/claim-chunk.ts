import type { Pool } from '@glaze/db';
import { statements } from './sql';

export interface ClaimedCell {
  id: number;
  rowId: number;
  /** Fencing token: a result is written only while the cell still has this attempt. */
  attempt: number;
  /** Input values by column id. */
  data: Record<string, unknown>;
  /** Finished values of the row's other enrichment columns, by column id (when asked for). */
  cellValues: Record<string, unknown> | null;
}

/** Claims a chunk's queued cells in one statement: running, attempt + 1, a lease of `leaseSeconds`. */
export async function claimChunk(
  pool: Pool,
  runId: number,
  cellIds: readonly number[],
  leaseSeconds: number,
  withCellValues: boolean,
): Promise<ClaimedCell[]> {
  const { rows } = await pool.query({
    ...statements.claimChunk,
    values: [runId, cellIds, leaseSeconds, withCellValues],
  });
  return rows as ClaimedCell[];
}
