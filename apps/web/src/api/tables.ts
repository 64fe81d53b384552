import { api, apiBase } from './client';
import type { Column, TableSummary } from './types';

export const listTables = () => api<{ tables: TableSummary[] }>('GET', '/tables');

export const createTable = (name: string, columns?: string[]) =>
  api<{ table: TableSummary }>('POST', '/tables', { name, columns });

export const getTable = (id: number, signal?: AbortSignal) =>
  api<{ table: TableSummary; columns: Column[] }>('GET', `/tables/${id}`, undefined, signal);

export const renameTable = (id: number, name: string) =>
  api<{ table: TableSummary }>('PATCH', `/tables/${id}`, { name });

export const deleteTable = (id: number) => api<void>('DELETE', `/tables/${id}`);

/** A plain link: the session cookie authenticates it and the server answers with a CSV attachment. */
export const exportUrl = (id: number) => `${apiBase}/tables/${id}/export`;
