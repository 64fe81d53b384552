import type { AnyProvider } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type StartedRun, startRun } from '../runs/start-run';
import { dependencyOrder } from './dependency-order';
import { readEnrichmentColumns } from './read-enrichment-columns';
import { readRunOptions } from './run-options';

/**
 * Re-runs the stale cells of a table's auto-run columns (`config.autoRun`) after an input edit or
 * an upsert: one run per column with scope `stale`, in dependency order, and none for a column
 * with no stale cell (an auto run over nothing is not created). The server calls it debounced, so
 * a burst of edits costs one run per column, not one per edit; the worker's reconciler calls it for a
 * table still owed a re-run a lease after the edit (migration 043: its server died first). Clears the
 * debt it saw.
 * @example await runStaleAutoColumns(pool, providers, { tableId, workspaceId })
 */
export async function runStaleAutoColumns(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  target: { tableId: number; workspaceId?: number },
): Promise<StartedRun[]> {
  // The debt as it stands now (migration 043): an edit after this read stays owed. Read as text: a
  // Date would drop the microseconds, and the delete below would never match.
  const { rows: owed } = await pool.query(
    'select touched::text from stale_auto_run_owed where table_id = $1',
    [target.tableId],
  );
  const rows = await readEnrichmentColumns(pool, target.tableId);
  const columns = dependencyOrder(providers, rows);
  const started: StartedRun[] = [];
  for (const column of columns) {
    if (readRunOptions(column.config).autoRun !== true) continue;
    const run = await startRun(pool, {
      columnId: column.id,
      scope: 'stale',
      workspaceId: target.workspaceId,
      auto: true,
    });
    if (run) started.push(run);
  }
  if (owed[0])
    await pool.query('delete from stale_auto_run_owed where table_id = $1 and touched <= $2::timestamptz', [
      target.tableId,
      owed[0].touched,
    ]);
  return started;
}
