import type { AppendReply, ImportReply } from '@glaze/core';
import { apiBase, toApiError } from './client';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** An upload under way: its answer, and a way to stop it. */
interface Upload<T> {
  done: Promise<T>;
  abort(): void;
}

/**
 * Posts a CSV file as the request body. XMLHttpRequest rather than fetch because only XHR reports
 * upload progress, which matters for a 100,000-row file (tens of MB).
 * `tableId` appends to an existing table; otherwise a new table named `name` is created.
 */
export function uploadCsv(
  file: Blob,
  target: { name: string },
  onProgress: (progress: UploadProgress) => void,
): Upload<ImportReply>;
export function uploadCsv(
  file: Blob,
  target: { tableId: number },
  onProgress: (progress: UploadProgress) => void,
): Upload<AppendReply>;
export function uploadCsv(
  file: Blob,
  target: { name: string } | { tableId: number },
  onProgress: (progress: UploadProgress) => void,
): Upload<ImportReply | AppendReply> {
  const xhr = new XMLHttpRequest();
  const url =
    'tableId' in target
      ? `${apiBase}/tables/${target.tableId}/import`
      : `${apiBase}/tables/import?${new URLSearchParams({ name: target.name })}`;
  const done = new Promise<ImportReply | AppendReply>((resolve, reject) => {
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.total || file.size });
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as ImportReply | AppendReply);
      else reject(toApiError(xhr.status, json, xhr.responseText));
    };
    xhr.onerror = () => reject(new Error('the upload failed: network error'));
    xhr.onabort = () => reject(new Error('the upload was cancelled'));
  });
  xhr.open('POST', url);
  xhr.setRequestHeader('content-type', 'text/csv');
  xhr.send(file);
  return { done, abort: () => xhr.abort() };
}
