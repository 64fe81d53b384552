import type { Pool } from '@glaze/db';
import type { CompiledQuery } from './compile-query';
import { pageStatement } from './page-statement';

/** How long the walk in table order may take before the page is read through the trigram index instead. */
export const orderedProbeMs = 120;

/**
 * Reads one page of a compiled query. Search and `contains` are where the planner guesses worst: it
 * cannot estimate how many rows a LIKE over folded text matches, and took a trigram bitmap over
 * 125,000 of a million rows (8.8 s, every match rechecked) for a page of 100 that a walk in table
 * order finds in ~50 ms. So such a page is first read by that walk, under a 120 ms statement
 * timeout; a term rare enough to outlast it is read through the index, which is then the fast way.
 */
export async function readPage(
  pool: Pool,
  compiled: CompiledQuery,
  offset: number,
  limit: number,
): Promise<Array<{ id: string | number; position: number; data: Record<string, unknown> | null }>> {
  const statement = pageStatement(compiled, offset, limit);
  if (!compiled.fuzzy) return (await pool.query(statement)).rows;
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
      if ((error as { code?: string }).code !== '57014') throw error; // 57014: canceled by the timeout
    }
    return (await client.query(statement)).rows;
  } finally {
    client.release();
  }
}
