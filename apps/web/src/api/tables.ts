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
/** The CSV export; `excel` adds a UTF-8 byte-order mark and CRLF line ends. */
export const exportUrl = (id: number, options: { excel?: boolean } = {}) =>
  `${apiBase}/tables/${id}/export${options.excel ? '?excel=true' : ''}`;
