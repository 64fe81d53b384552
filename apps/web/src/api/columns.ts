import type { ColumnKind } from '@glaze/core';
import { api } from './client';
import type { Column, ProviderInfo } from './types';

export interface ColumnInput {
  name: string;
  kind: ColumnKind;
  provider?: string;
  config?: Record<string, unknown>;
}

export const listProviders = () => api<{ providers: ProviderInfo[] }>('GET', '/providers');

export const addColumn = (tableId: number, column: ColumnInput) =>
  api<{ column: Column }>('POST', `/tables/${tableId}/columns`, column);

export const updateColumn = (tableId: number, columnId: number, patch: Partial<Omit<ColumnInput, 'kind'>>) =>
  api<{ column: Column }>('PATCH', `/tables/${tableId}/columns/${columnId}`, patch);

export const deleteColumn = (tableId: number, columnId: number) =>
  api<void>('DELETE', `/tables/${tableId}/columns/${columnId}`);

export const reorderColumns = (tableId: number, columnIds: number[]) =>
  api<unknown>('PUT', `/tables/${tableId}/columns/order`, { columnIds });
