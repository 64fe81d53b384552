import type { TableDetailReply, TableListReply, TableReply } from '@glaze/core';
import { api, apiBase } from './client';

export const listTables = () => api<TableListReply>('GET', '/tables');

export const createTable = (name: string, columns?: string[]) =>
  api<TableReply>('POST', '/tables', { name, columns });

export const getTable = (id: number, signal?: AbortSignal) =>
  api<TableDetailReply>('GET', `/tables/${id}`, undefined, signal);

export const renameTable = (id: number, name: string) => api<TableReply>('PATCH', `/tables/${id}`, { name });

export const deleteTable = (id: number) => api<void>('DELETE', `/tables/${id}`);

/** A plain link: the session cookie authenticates it and the server answers with a CSV attachment. */
/** The CSV export; `excel` adds a UTF-8 byte-order mark and CRLF line ends. */
export const exportUrl = (id: number, options: { excel?: boolean } = {}) =>
  `${apiBase}/tables/${id}/export${options.excel ? '?excel=true' : ''}`;
