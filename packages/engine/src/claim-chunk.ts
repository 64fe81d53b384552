import type { Pool } from '@glaze/db';
import { statements } from './sql';

export interface ClaimedCell {
  id: number;
  rowId: number;
  /** The chunk's attempt: the fencing token every result of this claim carries. */
  attempt: number;
  /** Input values by column id. */
  data: Record<string, unknown>;
  /** Finished values of the row's other enrichment columns, by column id (when asked for). */
  cellValues: Record<string, unknown> | null;
}

/**
 * Claims a chunk in one statement — one row written however many cells — and returns its queued
 * cells with their inputs. Empty when the chunk was taken, finished or its run cancelled.
 */
export async function claimChunk(
  pool: Pool,
  chunkId: number,
  leaseSeconds: number,
  withCellValues: boolean,
): Promise<ClaimedCell[]> {
  const { rows } = await pool.query({
    ...statements.claimChunk,
    values: [chunkId, leaseSeconds, withCellValues],
  });
  return rows as ClaimedCell[];
}
