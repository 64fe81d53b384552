import type { Pool } from '@glaze/db';

/** How long the walk in table order may take before the statement runs as the planner likes. */
export const orderedProbeMs = 150;

/**
 * Runs a statement of a search or `contains` query. The planner cannot estimate how many rows a LIKE
 * over folded text matches and guesses few: it took a trigram bitmap over 125,000 of a million rows
 * (8.8 s, every match rechecked) for a page of 100 that a walk in table order finds in ~50 ms. So the
 * statement first runs as a walk in index order, under a 150 ms timeout (7,000-13,000 rows at 11-20 µs each); a term rare enough to outlast
 * it runs again as planned, through the trigram index, which is then the fast way.
 */
export async function withOrderedProbe<R>(
  pool: Pool,
  statement: { text: string; values: unknown[] },
): Promise<R[]> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      // no bitmap, no sequential scan, no sort: the walk in an index's order that stops at the page;
      // no parallel workers and no JIT, whose start-up alone (~190 ms and ~40 ms measured) outlasts it
      `select set_config('statement_timeout', $1, true), set_config('enable_bitmapscan', 'off', true),
              set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true),
              set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`,
      [`${orderedProbeMs}ms`],
    );
    try {
      const { rows } = await client.query(statement);
      await client.query('commit');
      return rows;
    } catch (error) {
      await client.query('rollback');
      if ((error as { code?: string }).code !== '57014') throw error; // 57014: cancelled by the timeout
    }
    return (await client.query(statement)).rows;
  } finally {
    client.release();
  }
}
