import type { Pool } from '@glaze/db';

/** How long the walk in table order may take before the statement runs as the planner likes. */
export const orderedProbeMs = 120;

/**
 * Runs a statement of a search or `contains` query. The planner cannot estimate how many rows a LIKE
 * over folded text matches and guesses few: it took a trigram bitmap over 125,000 of a million rows
 * (8.8 s, every match rechecked) for a page of 100 that a walk in table order finds in ~50 ms. So the
 * statement first runs without bitmap scans, under a 120 ms timeout; a term rare enough to outlast
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
      `select set_config('statement_timeout', $1, true), set_config('enable_bitmapscan', 'off', true)`,
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
