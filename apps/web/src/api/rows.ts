import type { RowPage } from '@glaze/core';
import { api } from './client';

export function listRows(tableId: number, limit: number, cursor: string | null, signal?: AbortSignal) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return api<RowPage>('GET', `/tables/${tableId}/rows?${query}`, undefined, signal);
}

export const addRows = (tableId: number, rows: Record<string, unknown>[]) =>
  api<unknown>('POST', `/tables/${tableId}/rows`, { rows });

export const updateRows = (tableId: number, rows: { id: number; values: Record<string, unknown> }[]) =>
  api<unknown>('PATCH', `/tables/${tableId}/rows`, { rows });

export const deleteRows = (tableId: number, ids: number[]) =>
  api<unknown>('DELETE', `/tables/${tableId}/rows`, { ids });
