import type { RunScope, StartRunBody } from '@glaze/core';
import { glaze, tablePath } from './client';
import { keyHeader, withRetryKey } from './retry-key';

const runPath = (runId: number) => ({ path: { runId: String(runId) } });

/** `scope` as the API takes it, a saved view's rows (`{view}`) included. */
export const startRun = (tableId: number, columnId: number, scope: StartRunBody['scope']) =>
  withRetryKey(`column:${tableId}:${columnId}:${JSON.stringify(scope)}`, (key) =>
    glaze.runColumn({
      params: { path: { id: String(tableId), columnId: String(columnId) }, ...keyHeader(key) },
      body: { scope },
    }),
  );

/** Every enrichment column of the table, in dependency order ("Run all columns"; `{rowIds:[id]}`: "Run this row"). */
export const runAllColumns = (tableId: number, scope: RunScope) =>
  withRetryKey(`table:${tableId}:${JSON.stringify(scope)}`, (key) =>
    glaze.runTable({ params: { ...tablePath(tableId), ...keyHeader(key) }, body: { scope } }),
  );

export const getRun = (runId: number) => glaze.getRun({ params: runPath(runId) });

export const listRunningRuns = (tableId: number) =>
  glaze.listRuns({ params: { ...tablePath(tableId), query: { status: 'running' } } });

export const cancelRun = (runId: number) => glaze.cancelRun({ params: runPath(runId) });

export const runCell = (tableId: number, rowId: number, columnId: number) =>
  withRetryKey(`cell:${tableId}:${rowId}:${columnId}`, (key) =>
    glaze.runCell({ params: { ...tablePath(tableId), ...keyHeader(key) }, body: { rowId, columnId } }),
  );

/** How the run's cells overlapped in time; `samples` caps the spans (the figures cover every cell). */
export const getRunTimeline = (runId: number, samples = 500, signal?: AbortSignal) =>
  glaze.getRunTimeline({ params: { ...runPath(runId), query: { samples } }, signal });
