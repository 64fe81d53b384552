import type { CreateViewBody, UpdateViewBody, ViewListReply, ViewReply } from '@glaze/core';
import { glaze, tablePath } from './client';

// The document types a view's `filter` as unknown (the filter language is recursive, beyond what
// the generator spells out); the server checks it with core's schema, whose type these answers take.

const viewPath = (tableId: number, viewId: number) => ({
  path: { id: String(tableId), viewId: String(viewId) },
});

export const listViews = async (tableId: number) =>
  (await glaze.listViews({ params: tablePath(tableId) })) as ViewListReply;

export const createView = async (tableId: number, body: CreateViewBody) =>
  (await glaze.createView({ params: tablePath(tableId), body })) as ViewReply;

export const updateView = async (tableId: number, viewId: number, body: UpdateViewBody) =>
  (await glaze.updateView({ params: viewPath(tableId, viewId), body })) as ViewReply;

export const deleteView = (tableId: number, viewId: number) =>
  glaze.deleteView({ params: viewPath(tableId, viewId) });
