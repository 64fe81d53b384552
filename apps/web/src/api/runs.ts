import { api } from './client';
import type { Run, RunScope } from './types';

export const startRun = (tableId: number, columnId: number, scope: RunScope) =>
  api<{ run: Run }>('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope });

export const getRun = (runId: number) => api<{ run: Run }>('GET', `/runs/${runId}`);

export const listRunningRuns = (tableId: number) =>
  api<{ runs: Run[] }>('GET', `/tables/${tableId}/runs?status=running`);

export const cancelRun = (runId: number) => api<unknown>('POST', `/runs/${runId}/cancel`);

export const runCell = (tableId: number, rowId: number, columnId: number) =>
  api<unknown>('POST', `/tables/${tableId}/cells/run`, { rowId, columnId });
