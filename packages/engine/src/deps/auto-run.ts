import type { AnyProvider } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type StartedRun, startRun } from '../runs/start-run';
import { columnReads, type StoredColumn } from './column-reads';
import { readEnrichmentColumns } from './read-enrichment-columns';
import { readRunOptions } from './run-options';

/**
 * Starts runs of a table's auto-run columns over new rows (after insertRows / importCsv), one
 * statement to read the columns plus one per column started. With `providers`, a column that reads
 * another auto-run column is left to start when that one finishes the row (see `queueDownstream`);
 * without, it starts at once and its cells wait for their upstream cells.
 * @example const rowIds = await insertRows(pool, tableId, rows); await runAutoColumns(pool, tableId, rowIds, { providers });
 */
export async function runAutoColumns(
  pool: Pool,
  tableId: number,
  rowIds: readonly number[],
  options: { providers?: ReadonlyMap<string, AnyProvider>; workspaceId?: number } = {},
): Promise<StartedRun[]> {
  if (rowIds.length === 0) return [];
  const roots = await autoRunRoots(pool, tableId, options.providers);
  const started: StartedRun[] = [];
  for (const column of roots) {
    // a run scope holds at most 100,000 row ids
    for (let from = 0; from < rowIds.length; from += 100_000) {
      const scope = { rowIds: rowIds.slice(from, from + 100_000) };
      const run = await startRun(pool, {
        columnId: column.id,
        scope,
        workspaceId: options.workspaceId,
        auto: true,
      });
      if (run) started.push(run);
    }
  }
  return started;
}

/**
 * The auto-run columns new rows start: with `providers`, those that read no other auto-run column
 * (those start when it finishes the row); without, all of them.
 */
export async function autoRunRoots(
  pool: Pool,
  tableId: number,
  providers?: ReadonlyMap<string, AnyProvider>,
): Promise<StoredColumn[]> {
  const columns = await readEnrichmentColumns(pool, tableId);
  const auto = columns.filter((c) => readRunOptions(c.config).autoRun === true);
  const autoNames = auto.map((c) => c.name);
  if (!providers) return auto;
  return auto.filter((c) => columnReads(providers, c, autoNames).every((name) => name === c.name));
}

/**
 * The runs of rows `from`…`to` of a table have started: what they owed its auto-run columns
 * (migration 042) is paid, unless rows outside that span are owed too (a concurrent append).
 * @example await autoRunPaid(pool, tableId, 101, 250)
 */
export async function autoRunPaid(pool: Pool, tableId: number, from: number, to: number): Promise<void> {
  await pool.query(`delete from auto_run_owed where table_id = $1 and row_ids <@ int8range($2, $3, '[]')`, [
    tableId,
    from,
    to,
  ]);
}

/**
 * Queues auto-run downstream columns for rows an upstream column just finished: one run per
 * downstream column per chunk, never one per cell. Cells already queued (waiting) are left to
 * their run by startRun; when that leaves nothing, no run is created.
 */
export async function queueDownstream(
  pool: Pool,
  columnIds: readonly number[],
  rowIds: readonly number[],
): Promise<void> {
  if (rowIds.length === 0) return;
  for (const columnId of columnIds)
    await startRun(pool, { columnId, scope: { rowIds: [...rowIds] }, auto: true });
}
