import type { RunListReply, RunReply, RunScope } from '@glaze/core';
import { api } from './client';

export const startRun = (tableId: number, columnId: number, scope: RunScope) =>
  api<RunReply>('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope });

export const getRun = (runId: number) => api<RunReply>('GET', `/runs/${runId}`);

export const listRunningRuns = (tableId: number) =>
  api<RunListReply>('GET', `/tables/${tableId}/runs?status=running`);

export const cancelRun = (runId: number) => api<unknown>('POST', `/runs/${runId}/cancel`);

export const runCell = (tableId: number, rowId: number, columnId: number) =>
  api<unknown>('POST', `/tables/${tableId}/cells/run`, { rowId, columnId });
