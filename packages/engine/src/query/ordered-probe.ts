import type { Pool } from '@glaze/db';
import { serialRows } from './serial-statement';

/** How long the walk in table order may take before the statement runs as the planner likes. */
export const orderedProbeMs = 150;

/**
 * How a statement that outlasted the walk runs again: through the trigram index. Its term is rare
 * (fewer matches than the page wants in the 7,000-13,000 rows walked), so the index's bitmap holds
 * few rows; but the planner, guessing that a LIKE matches 0.5 % of the rows, may walk the table in
 * order once more: a `contains` of a term no row holds took 767 ms over a million rows that way,
 * 5.4 ms through the index (local Postgres 15, 2026-12-02). Index scans off leave it the bitmap.
 */
export const rareTermSettings: Readonly<Record<string, string>> = { enable_indexscan: 'off' };

/**
 * Runs a statement of a search or `contains` query. The planner cannot estimate how many rows a LIKE
 * over folded text matches and guesses few: it took a trigram bitmap over 125,000 of a million rows
 * (8.8 s, every match rechecked) for a page of 100 that a walk in table order finds in ~50 ms. So the
 * statement first runs as a walk in index order, under a 150 ms timeout (7,000-13,000 rows at 11-20 µs
 * each); a term rare enough to outlast it runs again through the trigram index (`rareTermSettings`),
 * which is then the fast way.
 */
export async function withOrderedProbe<R>(
  pool: Pool,
  statement: { text: string; values: unknown[] },
): Promise<R[]> {
  try {
    // no bitmap, no sequential scan, no sort: the walk in an index's order that stops at the page
    // (and, as every page, no parallel workers and no JIT, whose start-up alone outlasts it)
    return await serialRows<R>(pool, statement, {
      statement_timeout: `${orderedProbeMs}ms`,
      enable_bitmapscan: 'off',
      enable_seqscan: 'off',
      enable_sort: 'off',
    });
  } catch (error) {
    if ((error as { code?: string }).code !== '57014') throw error; // 57014: cancelled by the timeout
  }
  return serialRows<R>(pool, statement, rareTermSettings);
}
