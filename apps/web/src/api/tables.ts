import type { TableDetailReply, TableListReply, TableReply } from '@glaze/core';
import { api, apiBase } from './client';
import { type RowQuery, rowQueryParams } from './rows';

export const listTables = () => api<TableListReply>('GET', '/tables');

export const createTable = (name: string, columns?: string[]) =>
  api<TableReply>('POST', '/tables', { name, columns });

export const getTable = (id: number, signal?: AbortSignal) =>
  api<TableDetailReply>('GET', `/tables/${id}`, undefined, signal);

export const renameTable = (id: number, name: string) => api<TableReply>('PATCH', `/tables/${id}`, { name });

export const deleteTable = (id: number) => api<void>('DELETE', `/tables/${id}`);

/**
 * The CSV export, a plain link: the session cookie authenticates it and the server answers with a
 * CSV attachment. `excel` adds a UTF-8 byte-order mark and CRLF line ends; `query` exports only the
 * rows a search, filter and sort select, in that order.
 */
export function exportUrl(id: number, options: { excel?: boolean; query?: RowQuery } = {}): string {
  const params = options.query ? rowQueryParams(options.query) : new URLSearchParams();
  if (options.excel) params.set('excel', 'true');
  const text = params.toString();
  return `${apiBase}/tables/${id}/export${text ? `?${text}` : ''}`;
}
