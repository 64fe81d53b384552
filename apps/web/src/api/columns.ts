import type {
  ColumnReply,
  CreateColumnBody,
  PreviewColumnBody,
  PreviewColumnReply,
  ProviderListReply,
  UpdateColumnBody,
} from '@glaze/core';
import { api } from './client';

export const listProviders = () => api<ProviderListReply>('GET', '/providers');

export const addColumn = (tableId: number, column: CreateColumnBody) =>
  api<ColumnReply>('POST', `/tables/${tableId}/columns`, column);

export const updateColumn = (tableId: number, columnId: number, patch: UpdateColumnBody) =>
  api<ColumnReply>('PATCH', `/tables/${tableId}/columns/${columnId}`, patch);

export const deleteColumn = (tableId: number, columnId: number) =>
  api<void>('DELETE', `/tables/${tableId}/columns/${columnId}`);

export const reorderColumns = (tableId: number, columnIds: number[]) =>
  api<unknown>('PUT', `/tables/${tableId}/columns/order`, { columnIds });

export const restoreColumn = (tableId: number, columnId: number) =>
  api<ColumnReply>('POST', `/tables/${tableId}/columns/${columnId}/restore`);

/** What a config not saved yet would give on the table's first 5 rows; nothing is written. */
export const previewColumn = (tableId: number, body: PreviewColumnBody, signal?: AbortSignal) =>
  api<PreviewColumnReply>('POST', `/tables/${tableId}/columns/preview`, body, signal);
