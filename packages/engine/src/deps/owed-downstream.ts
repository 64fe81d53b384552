import type { Pool } from '@glaze/db';
import { queueDownstream } from './auto-run';
import { depsStatements } from './statements';

/**
 * What a chunk of a column that auto-run columns read owes them: a durable mark from the moment a
 * worker starts the chunk until the runs over its finished rows are started. Without it a worker
 * killed between its last write and those starts, or a chunk handed back after some of its results
 * were written, left those rows without their downstream cells for ever (kill -9 mid-run of a
 * 20,000-row column: 500–1,000 rows), and nothing said so.
 */
export interface OwingChunk {
  chunkId: number;
  /** The chunk's column (upstream). */
  columnId: number;
  /** Auto-run columns that read it. */
  downstream: readonly number[];
}

/** Marks the chunk as owing its rows to its downstream columns (fenced on the attempt). */
export async function oweDownstream(pool: Pool, chunkId: number, attempt: number): Promise<void> {
  await pool.query({ ...depsStatements.oweDownstream, values: [chunkId, attempt] });
}

/**
 * Starts the downstream runs a chunk owes and clears its mark. On the chunk's first attempt the rows
 * it wrote are `doneRows`; after a hand-back or a lost lease, earlier attempts wrote some of them, so
 * they are read from the cells (owed-rows.sql): its done rows whose downstream cell has not run since.
 * @example await payDownstream(pool, { chunkId, columnId, downstream: [9] }, attempt === 1 ? doneRows : undefined)
 */
export async function payDownstream(
  pool: Pool,
  chunk: OwingChunk,
  doneRows?: readonly number[],
): Promise<void> {
  if (doneRows) await queueDownstream(pool, chunk.downstream, doneRows);
  else if (chunk.downstream.length > 0) {
    const { rows } = await pool.query({
      ...depsStatements.owedRows,
      values: [chunk.chunkId, chunk.columnId, chunk.downstream],
    });
    for (const { columnId, rowIds } of rows as Array<{ columnId: string; rowIds: string[] }>)
      await queueDownstream(pool, [Number(columnId)], rowIds.map(Number));
  }
  await pool.query({ ...depsStatements.downstreamPaid, values: [chunk.chunkId] });
}
