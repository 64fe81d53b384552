import type { Row, Run } from '@glaze/core';

/**
 * Every network call the hook makes, in one file so it can move onto `@glaze/client` (typed REST and
 * `subscribe()`) without touching the state or the hook. fetch only: the stream is read with fetch,
 * not EventSource, so a bearer token can go in a header and Last-Event-ID is ours to send.
 */
export interface GlazeConnection {
  /** The API root, e.g. `https://glaze.example.com/api/v1`. */
  baseUrl: string;
  /** A bearer token; without it the browser's session cookie is sent (same origin). */
  token?: string;
}

/** The rows asked for: `limit` rows (1–1000) from `offset` in table order. */
export interface RowsWanted {
  offset?: number;
  limit: number;
}

export class GlazeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function headers(connection: GlazeConnection, extra: Record<string, string> = {}): Record<string, string> {
  return connection.token ? { ...extra, authorization: `Bearer ${connection.token}` } : extra;
}

async function getJson<T>(connection: GlazeConnection, path: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(`${connection.baseUrl}${path}`, {
    headers: headers(connection),
    credentials: 'include',
    signal,
  });
  if (!response.ok) throw new GlazeHttpError(response.status, `GET ${path}: ${await errorText(response)}`);
  return (await response.json()) as T;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `HTTP ${response.status}`;
}

/** The rows asked for, with their cells, and the table's running runs. */
export async function loadTable(
  connection: GlazeConnection,
  tableId: number,
  wanted: RowsWanted,
  signal: AbortSignal,
): Promise<{ rows: Row[]; runs: Run[] }> {
  const [page, running] = await Promise.all([
    getJson<{ rows: Row[] }>(
      connection,
      `/tables/${tableId}/rows?offset=${wanted.offset ?? 0}&limit=${wanted.limit}`,
      signal,
    ),
    getJson<{ runs: Run[] }>(connection, `/tables/${tableId}/runs?status=running`, signal),
  ]);
  return { rows: page.rows, runs: running.runs };
}

export interface StreamRequest {
  /** Resume after this seq (Last-Event-ID): every change since, none twice. */
  after?: number;
  /** `?rows=`: cell changes of these rows only (`1-100,205`). */
  rows?: string;
  signal: AbortSignal;
}

/**
 * Reads `GET /tables/:id/events` frame by frame until the server ends it, the connection drops
 * (resolves) or `signal` aborts (rejects with the abort). An HTTP error rejects with GlazeHttpError.
 */
export async function readEvents(
  connection: GlazeConnection,
  tableId: number,
  request: StreamRequest,
  onFrame: (event: string, data: unknown, id: number | undefined) => void,
): Promise<void> {
  const query = request.rows ? `?rows=${request.rows}` : '';
  const response = await fetch(`${connection.baseUrl}/tables/${tableId}/events${query}`, {
    headers: headers(connection, request.after ? { 'last-event-id': String(request.after) } : {}),
    credentials: 'include',
    signal: request.signal,
  });
  if (!response.ok || !response.body) {
    throw new GlazeHttpError(response.status, `GET /tables/${tableId}/events: ${await errorText(response)}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) return;
    buffer += value;
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const frame = parseFrame(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (frame) onFrame(frame.event, frame.data, frame.id);
    }
  }
}

/** One SSE frame (`event:`, `id:`, `data:` lines); comments (`: ping`) and `retry:` give nothing. */
function parseFrame(text: string): { event: string; data: unknown; id: number | undefined } | undefined {
  let event = 'message';
  let data: string | undefined;
  let id: number | undefined;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).trimStart();
    if (field === 'event') event = value;
    else if (field === 'data') data = value;
    else if (field === 'id') id = Number(value);
  }
  return data === undefined ? undefined : { event, data: JSON.parse(data), id };
}
