import type { RunScope, StartRunBody } from '@glaze/core';
import { glaze, tablePath } from './client';

const runPath = (runId: number) => ({ path: { runId: String(runId) } });

/** `scope` as the API takes it, a saved view's rows (`{view}`) included. */
export const startRun = (tableId: number, columnId: number, scope: StartRunBody['scope']) =>
  glaze.runColumn({ params: { path: { id: String(tableId), columnId: String(columnId) } }, body: { scope } });

/** Every enrichment column of the table, in dependency order ("Run all columns"; `{rowIds:[id]}`: "Run this row"). */
export const runAllColumns = (tableId: number, scope: RunScope) =>
  glaze.runTable({ params: tablePath(tableId), body: { scope } });

export const getRun = (runId: number) => glaze.getRun({ params: runPath(runId) });

export const listRunningRuns = (tableId: number) =>
  glaze.listRuns({ params: { ...tablePath(tableId), query: { status: 'running' } } });

export const cancelRun = (runId: number) => glaze.cancelRun({ params: runPath(runId) });

export const runCell = (tableId: number, rowId: number, columnId: number) =>
  glaze.runCell({ params: tablePath(tableId), body: { rowId, columnId } });

/** How the run's cells overlapped in time; `samples` caps the spans (the figures cover every cell). */
export const getRunTimeline = (runId: number, samples = 500, signal?: AbortSignal) =>
  glaze.getRunTimeline({ params: { ...runPath(runId), query: { samples } }, signal });
