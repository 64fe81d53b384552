import type { AnyProvider, RunScope } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { assertRowsOfTable } from '../runs/assert-rows-of-column';
import { type StartedRun, startRun } from '../runs/start-run';
import { dependencyOrder } from './dependency-order';
import { readEnrichmentColumns } from './read-enrichment-columns';

export interface RunAllColumnsOptions {
  tableId: number;
  workspaceId: number;
  /** Which cells of each column: `all`, `empty`, `errors`, `stale`, or `{rowIds}` ("Run this row"). */
  scope: RunScope;
  maxAttempts?: number;
  /** Each column's run stops before its cost exceeds this. */
  budget?: number | null;
}

/**
 * Runs every enrichment column of a table, one run per column, started in dependency order: a
 * column that reads another starts after it, so its cells wait for the upstream cells of their row
 * (the worker's `holdBackWaiting`) and read their new values. One statement to read the columns,
 * one per column started (and one to check row ids); a column with nothing in scope gets a run born `done`.
 * @example await runAllColumns(pool, providers, { tableId, workspaceId, scope: { rowIds: [42] } })
 */
export async function runAllColumns(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  options: RunAllColumnsOptions,
): Promise<StartedRun[]> {
  const rows = await readEnrichmentColumns(pool, options.tableId);
  if (typeof options.scope === 'object') await assertRowsOfTable(pool, options.tableId, options.scope.rowIds);
  const started: StartedRun[] = [];
  for (const column of dependencyOrder(providers, rows)) {
    started.push(
      await startRun(pool, {
        columnId: column.id,
        tableId: options.tableId,
        workspaceId: options.workspaceId,
        scope: options.scope,
        maxAttempts: options.maxAttempts,
        budget: options.budget,
      }),
    );
  }
  return started;
}
