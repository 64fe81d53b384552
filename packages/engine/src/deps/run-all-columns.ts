import type { AnyProvider, RunScope } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { assertRowsOfTable } from '../runs/assert-rows-of-column';
import { findKeyedRuns, type Idempotency } from '../runs/keyed-runs';
import { type StartedRun, startRun } from '../runs/start-run';
import { dependencyOrder } from './dependency-order';
import { readEnrichmentColumns } from './read-enrichment-columns';

export interface RunAllColumnsOptions {
  tableId: number;
  workspaceId: number;
  /**
   * Which cells of each column: `all`, `empty`, `errors`, `stale`, or `{rowIds}` ("Run this row");
   * or a function that finds them (a filter's rows), called only when a column is to be started.
   */
  scope: RunScope | (() => Promise<RunScope>);
  maxAttempts?: number;
  /** Each column's run stops before its cost exceeds this. */
  budget?: number | null;
  /**
   * The request's `Idempotency-Key`: kept on each column's run, and the columns that an earlier
   * request with it started (one cut off part-way) are not started again.
   */
  idempotency?: Idempotency;
}

/**
 * Runs every enrichment column of a table, one run per column, started in dependency order: a
 * column that reads another starts after it, so its cells wait for the upstream cells of their row
 * (the worker's `holdBackWaiting`) and read their new values. One statement to read the columns,
 * one per column started (and one to check row ids, one to find a key's earlier runs); a column
 * with nothing in scope gets a run born `done`.
 * @example await runAllColumns(pool, providers, { tableId, workspaceId, scope: { rowIds: [42] } })
 */
export async function runAllColumns(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  options: RunAllColumnsOptions,
): Promise<StartedRun[]> {
  const rows = await readEnrichmentColumns(pool, options.tableId);
  const ordered = dependencyOrder(providers, rows);
  const earlier = options.idempotency
    ? await findKeyedRuns(pool, options.workspaceId, options.idempotency)
    : [];
  const earlierRun = (columnId: number) => earlier.find((run) => run.columnId === columnId);
  // The scope is found and its rows checked unless a retry has nothing left to start (its filter may
  // match other rows by now); a table without enrichment columns still has its row ids checked.
  let scope: RunScope | undefined;
  if (earlier.length === 0 || ordered.some((column) => !earlierRun(column.id))) {
    scope = typeof options.scope === 'function' ? await options.scope() : options.scope;
    if (typeof scope === 'object') await assertRowsOfTable(pool, options.tableId, scope.rowIds);
  }
  const started: StartedRun[] = [];
  for (const column of ordered) {
    const replayed = earlierRun(column.id);
    started.push(
      replayed ??
        (await startRun(pool, {
          columnId: column.id,
          tableId: options.tableId,
          workspaceId: options.workspaceId,
          scope: scope!,
          maxAttempts: options.maxAttempts,
          budget: options.budget,
          idempotency: options.idempotency,
        })),
    );
  }
  return started;
}
