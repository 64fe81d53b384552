import type { Logger, Pool } from '@glaze/db';
import { statements } from './statements';

/** The tables `grown-tables.sql` looks at: the only names an ANALYZE here is sent for. */
const growing = new Set(['cells', 'chunks', 'rows']);

/**
 * Keeps the planner's picture of Glaze's growing tables (cells, chunks, rows) within a factor of two
 * of their size: one that has more than doubled since Postgres last measured it (below 128 MB) is
 * ANALYZEd, which also drops every plan cached on it, in every session. Worker connections keep one generic plan per
 * statement (pool.ts, genericPlans): a plan made while `cells` held a few test cells kept scanning
 * the whole table in each flush after it held 100,000 (a 100,000-cell run 2.9 → 5.2 s; for ever
 * where autovacuum is off, until its next ANALYZE otherwise, up to a minute on a fresh install).
 * Returns the tables analyzed; `skip_locked` leaves a table another process is analyzing.
 * @example await refreshStatistics(pool) // ['cells']
 */
export async function refreshStatistics(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(statements.grownTables);
  const names = rows.map((row) => row.name).filter((name) => growing.has(name));
  if (names.length > 0) await pool.query(`analyze (skip_locked) ${names.join(', ')}`);
  return names;
}

/**
 * `refreshStatistics` for callers that fire it and go on (after an expansion batch, each reconciler
 * pass): one pass at a time in this process, failures logged, never thrown.
 * @example const refresh = statisticsRefresher(pool, logger); refresh();
 */
export function statisticsRefresher(pool: Pool, logger: Logger): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    refreshStatistics(pool)
      .then((tables) => {
        if (tables.length > 0) logger.debug({ tables }, 'planner statistics refreshed: tables grown');
      })
      .catch((error) => logger.warn({ err: error }, 'refreshing planner statistics failed'))
      .finally(() => {
        running = false;
      });
  };
}
