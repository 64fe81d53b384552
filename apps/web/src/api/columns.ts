import type { CreateColumnBody, PreviewColumnBody, UpdateColumnBody } from '@glaze/core';
import { glaze, tablePath } from './client';

const columnPath = (tableId: number, columnId: number) => ({
  path: { id: String(tableId), columnId: String(columnId) },
});

export const listProviders = () => glaze.listProviders();

export const addColumn = (tableId: number, column: CreateColumnBody) =>
  glaze.addColumn({ params: tablePath(tableId), body: column });

export const updateColumn = (tableId: number, columnId: number, patch: UpdateColumnBody) =>
  glaze.updateColumn({ params: columnPath(tableId, columnId), body: patch });

export const deleteColumn = (tableId: number, columnId: number) =>
  glaze.deleteColumn({ params: columnPath(tableId, columnId) });

export const reorderColumns = (tableId: number, columnIds: number[]) =>
  glaze.reorderColumns({ params: tablePath(tableId), body: { columnIds } });

export const restoreColumn = (tableId: number, columnId: number) =>
  glaze.restoreColumn({ params: columnPath(tableId, columnId) });

/** What a config not saved yet would give on the table's first 5 rows; nothing is written. */
export const previewColumn = (tableId: number, body: PreviewColumnBody, signal?: AbortSignal) =>
  glaze.previewColumn({ params: tablePath(tableId), body, signal });
