import type { Pool } from '@glaze/db';
import { statements } from './statements';

/**
 * A live worker returns chunks it holds but cannot finish (the database went away mid-chunk, or the
 * worker is stopping) to the queue with a new job each, in one statement. Not a loss: the cells keep
 * their tries and no error is written. Fenced on the attempt, so a chunk already taken over is left
 * alone. Answers how many went back.
 */
export async function handBackChunks(
  pool: Pool,
  chunks: ReadonlyArray<{ chunkId: number; attempt: number }>,
): Promise<number> {
  if (chunks.length === 0) return 0;
  const { rows } = await pool.query({
    ...statements.requeueChunks,
    values: [chunks.map((c) => c.chunkId), chunks.map((c) => c.attempt), false],
  });
  return rows[0]?.requeued ?? 0;
}
