import type { Filter, RowPage, RowQueryPage, SortInput } from '@glaze/core';
import { glaze, tablePath } from './client';
import { keyHeader, withRetryKey } from './retry-key';

/**
 * `listRows` answers a cursor page without `offset` and an offset page with it; the document gives
 * one type for both, the two functions here say which one each asks for.
 */
export async function listRows(tableId: number, limit: number, cursor: string | null, signal?: AbortSignal) {
  const query = { limit: String(limit), ...(cursor ? { cursor } : {}) };
  return (await glaze.listRows({ params: { ...tablePath(tableId), query }, signal })) as RowPage;
}

/** A search, filter or sort as the grid holds it; `rowQueryParams` gives the API's form. */
export interface RowQuery {
  filter?: Filter;
  sort?: SortInput;
  q?: string;
}

/** A row query as the rows API and the export take it in the URL: `filter` and `sort` as JSON, `q`. */
export function rowQueryParams(rowQuery: RowQuery): { filter?: string; sort?: string; q?: string } {
  return {
    ...(rowQuery.filter ? { filter: JSON.stringify(rowQuery.filter) } : {}),
    ...(rowQuery.sort ? { sort: JSON.stringify(rowQuery.sort) } : {}),
    ...(rowQuery.q ? { q: rowQuery.q } : {}),
  };
}

/** The rows a query selects from `offset`; `count` also asks how many match. */
export async function queryRows(
  tableId: number,
  rowQuery: RowQuery,
  page: { offset: number; limit: number; count: boolean },
  signal?: AbortSignal,
) {
  const query = {
    ...rowQueryParams(rowQuery),
    offset: String(page.offset),
    limit: String(page.limit),
    ...(page.count ? { count: 'true' as const } : {}),
  };
  return (await glaze.listRows({ params: { ...tablePath(tableId), query }, signal })) as RowQueryPage;
}

/** How many rows a search or filter matches, asked beside its first page (the page comes first). */
export async function countRows(tableId: number, rowQuery: RowQuery, signal?: AbortSignal) {
  const { filter, q } = rowQueryParams(rowQuery);
  const query = { ...(filter ? { filter } : {}), ...(q ? { q } : {}) };
  return glaze.countRows({ params: { ...tablePath(tableId), query }, signal });
}

/**
 * Appends rows; asked again for the same rows after an outage or a dropped connection, with the same
 * `Idempotency-Key`, so rows the first request appended are not appended twice.
 */
export const addRows = (tableId: number, rows: Record<string, unknown>[]) =>
  withRetryKey(`rows:${tableId}:${JSON.stringify(rows)}`, (key) =>
    glaze.insertRows({
      params: { ...tablePath(tableId), ...keyHeader(key) },
      body: { rows },
    }),
  );

export const updateRows = (tableId: number, rows: { id: number; values: Record<string, unknown> }[]) =>
  glaze.updateRows({ params: tablePath(tableId), body: { rows } });

export const deleteRows = (tableId: number, ids: number[]) =>
  glaze.deleteRows({ params: tablePath(tableId), body: { ids } });

export const restoreRows = (tableId: number, ids: number[]) =>
  glaze.restoreRows({ params: tablePath(tableId), body: { ids } });
