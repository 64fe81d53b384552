import { GlazeError, type OperationData, operationRoutes } from '@glaze/client';
import { answered } from './client';
import { withRetryKey } from './retry-key';

type ImportReply = OperationData<'importTable'>;
type AppendReply = OperationData<'importRows'>;

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
 * Posts a CSV file as the request body (`importTable`, `importRows` of @glaze/client, whose types
 * and GlazeError it answers with). XMLHttpRequest rather than the client's fetch because only XHR
 * reports upload progress, which matters for a 100,000-row file (tens of MB).
 * `tableId` appends to an existing table; otherwise a new table named `name` is created. It carries
 * an `Idempotency-Key` (retry-key.ts).
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
      ? operationRoutes.importRows.path.replace('{id}', String(target.tableId))
      : `${operationRoutes.importTable.path}?${new URLSearchParams({ name: target.name })}`;
  // the same file sent to the same place again after a 5xx or no answer carries the same key: an
  // import that committed although its answer was lost is answered, not imported twice
  const identity = file instanceof File ? `${file.name}:${file.lastModified}:${file.size}` : `${file.size}`;
  const done = withRetryKey(
    `csv:${JSON.stringify(target)}:${identity}`,
    (key) =>
      new Promise<ImportReply | AppendReply>((resolve, reject) => {
        xhr.upload.onprogress = (event) =>
          onProgress({ loaded: event.loaded, total: event.total || file.size });
        xhr.onload = () => {
          answered(xhr.status);
          const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
          if (response.ok) resolve(response.json());
          else void GlazeError.from(response).then(reject);
        };
        xhr.onerror = () => reject(new Error('the upload failed: network error'));
        xhr.onabort = () => reject(new Error('the upload was cancelled'));
        xhr.open('POST', url);
        xhr.setRequestHeader('content-type', 'text/csv');
        xhr.setRequestHeader('idempotency-key', key);
        xhr.send(file);
      }),
  );
  return { done, abort: () => xhr.abort() };
}
