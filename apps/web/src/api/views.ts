import type { CreateViewBody, UpdateViewBody, ViewListReply, ViewReply } from '@glaze/core';
import { api } from './client';

export const listViews = (tableId: number) => api<ViewListReply>('GET', `/tables/${tableId}/views`);

export const createView = (tableId: number, body: CreateViewBody) =>
  api<ViewReply>('POST', `/tables/${tableId}/views`, body);

export const updateView = (tableId: number, viewId: number, body: UpdateViewBody) =>
  api<ViewReply>('PATCH', `/tables/${tableId}/views/${viewId}`, body);

export const deleteView = (tableId: number, viewId: number) =>
  api<void>('DELETE', `/tables/${tableId}/views/${viewId}`);
