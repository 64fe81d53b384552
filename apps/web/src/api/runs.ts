import type { RunListReply, RunReply, RunScope, RunTimeline, StartRunBody } from '@glaze/core';
import { api } from './client';

/** `scope` as the API takes it, a saved view's rows (`{view}`) included. */
export const startRun = (tableId: number, columnId: number, scope: StartRunBody['scope']) =>
  api<RunReply>('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope });

/** Every enrichment column of the table, in dependency order ("Run all columns"; `{rowIds:[id]}`: "Run this row"). */
export const runAllColumns = (tableId: number, scope: RunScope) =>
  api<RunListReply>('POST', `/tables/${tableId}/runs`, { scope });

export const getRun = (runId: number) => api<RunReply>('GET', `/runs/${runId}`);

export const listRunningRuns = (tableId: number) =>
  api<RunListReply>('GET', `/tables/${tableId}/runs?status=running`);

export const cancelRun = (runId: number) => api<unknown>('POST', `/runs/${runId}/cancel`);

export const runCell = (tableId: number, rowId: number, columnId: number) =>
  api<unknown>('POST', `/tables/${tableId}/cells/run`, { rowId, columnId });

/** How the run's cells overlapped in time; `samples` caps the spans (the figures cover every cell). */
export const getRunTimeline = (runId: number, samples = 500, signal?: AbortSignal) =>
  api<{ timeline: RunTimeline }>('GET', `/runs/${runId}/timeline?samples=${samples}`, undefined, signal);
