import type { Filter, RowPage, RowQueryPage, SortInput } from '@glaze/core';
import { api } from './client';

export function listRows(tableId: number, limit: number, cursor: string | null, signal?: AbortSignal) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return api<RowPage>('GET', `/tables/${tableId}/rows?${query}`, undefined, signal);
}

/** A search, filter or sort as the rows API takes it (docs/API.md "Filter, sort, search"). */
export interface RowQuery {
  filter?: Filter;
  sort?: SortInput;
  q?: string;
}

/** A row query as the rows API and the export take it in the URL: `filter` and `sort` as JSON, `q`. */
export function rowQueryParams(rowQuery: RowQuery): URLSearchParams {
  const query = new URLSearchParams();
  if (rowQuery.filter) query.set('filter', JSON.stringify(rowQuery.filter));
  if (rowQuery.sort) query.set('sort', JSON.stringify(rowQuery.sort));
  if (rowQuery.q) query.set('q', rowQuery.q);
  return query;
}

/** The rows a query selects from `offset`; `count` also asks how many match. */
export function queryRows(
  tableId: number,
  rowQuery: RowQuery,
  page: { offset: number; limit: number; count: boolean },
  signal?: AbortSignal,
) {
  const query = rowQueryParams(rowQuery);
  query.set('offset', String(page.offset));
  query.set('limit', String(page.limit));
  if (page.count) query.set('count', 'true');
  return api<RowQueryPage>('GET', `/tables/${tableId}/rows?${query}`, undefined, signal);
}

export const addRows = (tableId: number, rows: Record<string, unknown>[]) =>
  api<{ ids: number[] }>('POST', `/tables/${tableId}/rows`, { rows });

export const updateRows = (tableId: number, rows: { id: number; values: Record<string, unknown> }[]) =>
  api<unknown>('PATCH', `/tables/${tableId}/rows`, { rows });

export const deleteRows = (tableId: number, ids: number[]) =>
  api<unknown>('DELETE', `/tables/${tableId}/rows`, { ids });

export const restoreRows = (tableId: number, ids: number[]) =>
  api<{ restored: number }>('POST', `/tables/${tableId}/rows/restore`, { ids });
