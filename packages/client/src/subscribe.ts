import { decodeFeedCells } from './decode-feed-cells.js';
import type { FeedEvent, FeedFrames } from './feed-frames.js';
import { GlazeError } from './glaze-error.js';
import { readSse } from './read-sse.js';

export interface SubscribeOptions {
  /** Resume after this seq (a `changes` id seen before); without it, the stream starts from now. */
  lastEventId?: number;
  /** Cell changes only for these rows (`1-100,205`); runs, rows and schema changes always. */
  rows?: string;
  /** Each batch of changes, in seq order, with its seq; the next is not read until this settles. */
  onChanges: (changes: FeedFrames['changes'], seq: number) => void | Promise<void>;
  /** Every other event: `ready`, `progress`, `schema`, `rowsDeleted`, `reset`, `tableDeleted`. */
  onEvent?: (event: Exclude<FeedEvent, { event: 'changes' }>) => void | Promise<void>;
  /** Told each time the connection drops, before waiting `retryMs` and resuming. */
  onDisconnect?: (error: unknown) => void;
  /** Stops the subscription; the returned promise then resolves. */
  signal?: AbortSignal;
  /**
   * Wait before reconnecting, or the wait after the n-th failure in a row (0 first; a stream that
   * reached `ready` starts the count again). Default 1,000 ms; a 503 is retried after its Retry-After.
   */
  retryMs?: number | ((failures: number) => number);
}

export interface StreamTarget {
  baseUrl: string;
  headers: Record<string, string>;
  /** `include` sends the session cookie to another origin (same origin sends it by default). */
  credentials?: RequestCredentials;
  fetch: (request: Request) => Promise<Response>;
}

/**
 * Follows a table's changes until `signal` aborts or the table is deleted. A dropped connection is
 * reopened with `Last-Event-ID` set to the last seq handled, so the server replays every change
 * since: none is missed, none handled twice. A `reset` (the server could not keep up, or cannot
 * replay) reaches `onEvent`, and the stream starts afresh: reload from REST there. Resolves when it
 * ends; rejects with a GlazeError on an answer retrying cannot fix (401, 404…).
 */
export async function subscribe(
  target: StreamTarget,
  tableId: number,
  options: SubscribeOptions,
): Promise<void> {
  let lastEventId = options.lastEventId;
  const { signal } = options;
  let handling = false;
  let failures = 0;
  while (!signal?.aborted) {
    const retry = options.retryMs ?? 1000;
    let waitMs = typeof retry === 'number' ? retry : retry(failures);
    failures++;
    let reset = false;
    try {
      const url = new URL(`${target.baseUrl}/api/v1/tables/${tableId}/events`, globalThis.location?.href);
      if (options.rows !== undefined) url.searchParams.set('rows', options.rows);
      const response = await target.fetch(
        new Request(url, {
          headers: {
            ...target.headers,
            accept: 'text/event-stream',
            ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }),
          },
          signal,
          ...(target.credentials ? { credentials: target.credentials } : {}),
        }),
      );
      if (!response.ok || !response.body) {
        const error = await GlazeError.from(response);
        if (response.status !== 503 && response.status !== 429 && response.status < 500) throw error;
        waitMs = Number(response.headers.get('retry-after') ?? 0) * 1000 || waitMs;
        throw Object.assign(error, { retry: true });
      }
      for await (const message of readSse(response.body, signal)) {
        const data = JSON.parse(message.data);
        if (message.event === 'changes' || message.event === 'progress')
          data.cells = decodeFeedCells(data.cells);
        const seq = message.id === undefined ? undefined : Number(message.id);
        handling = true;
        if (message.event === 'changes' && seq !== undefined) await options.onChanges(data, seq);
        else await options.onEvent?.({ event: message.event, data, id: seq } as never);
        handling = false;
        if (seq !== undefined) lastEventId = seq;
        if (message.event === 'ready') failures = 0;
        if (message.event === 'tableDeleted') return;
        if (message.event === 'reset') [lastEventId, reset] = [undefined, true];
      }
      // The server ends the stream after a reset: the fresh one is wanted at once, it is no failure.
      if (reset) continue;
      if (signal?.aborted) return;
      options.onDisconnect?.(new Error('the event stream ended'));
    } catch (error) {
      if (signal?.aborted) return;
      // The caller's own handler failed: that is not a dropped connection, and retrying repeats it.
      if (handling) throw error;
      if (error instanceof GlazeError && !(error as { retry?: boolean }).retry) throw error;
      options.onDisconnect?.(error);
    }
    await sleep(waitMs, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
