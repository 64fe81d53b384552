import type { Pool } from '@glaze/db';
import { statements } from './statements';

export interface ClaimedCell {
  id: number;
  rowId: number;
  /** The chunk's attempt: the fencing token every result of this claim carries. */
  attempt: number;
  /** The worker that died holding this chunk before (its cells' results were lost with it). */
  lostBy: string | null;
  /** Input values by column id: those the claim asked for (all when it named none). */
  data: Record<string, unknown>;
  /** Finished values of the row's other enrichment columns, by column id (see withCellValues). */
  cellValues?: Record<string, unknown> | null;
}

/**
 * Claims a chunk in one statement — one row written however many cells — and returns its queued
 * cells with their inputs: the values of `columns` (input column ids), or of every column when
 * null. Empty when the chunk was taken, finished or its run cancelled.
 */
export async function claimChunk(
  pool: Pool,
  chunkId: number,
  leaseSeconds: number,
  workerId: string,
  columns: readonly string[] | null = null,
): Promise<ClaimedCell[]> {
  const { rows } = await pool.query({
    ...statements.claimChunk,
    values: [chunkId, leaseSeconds, workerId, columns],
  });
  return rows as ClaimedCell[];
}

/**
 * Adds the finished values of each row's other enrichment columns, for columns whose templates read
 * them (one statement per chunk).
 */
export async function withCellValues(
  pool: Pool,
  columnId: number,
  cells: ClaimedCell[],
): Promise<ClaimedCell[]> {
  if (cells.length === 0) return cells;
  const { rows } = await pool.query({
    ...statements.rowCellValues,
    values: [columnId, cells.map((c) => c.rowId)],
  });
  const byRow = new Map(rows.map((r) => [r.rowId as number, r.values as Record<string, unknown> | null]));
  return cells.map((cell) => ({ ...cell, cellValues: byRow.get(cell.rowId) ?? null }));
}
