import type { CreateColumnBody, PreviewColumnBody, UpdateColumnBody } from '@glaze/core';
import { glaze, tablePath } from './client';
import { keyHeader, withRetryKey } from './retry-key';

const columnPath = (tableId: number, columnId: number) => ({
  path: { id: String(tableId), columnId: String(columnId) },
});

export const listProviders = () => glaze.listProviders();

/** Keyed: saving it again after an outage gets the column the first attempt added, not a 409 for its name. */
export const addColumn = (tableId: number, column: CreateColumnBody) =>
  withRetryKey(`addColumn:${tableId}:${JSON.stringify(column)}`, (key) =>
    glaze.addColumn({ params: { ...tablePath(tableId), ...keyHeader(key) }, body: column }),
  );

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
