import { createGlazeClient, type GlazeClient, GlazeError } from '@glaze/client';
import { applyFrame, type EnrichmentState, emptyState, loaded } from './enrichment-state.js';
import {
  backoff,
  type ConnectionStatus,
  type ReadyCause,
  TableFeed,
  type TableFeedOptions,
} from './table-feed.js';

/** Where the table lives: a client of your own, or a server (and a token) to make one for. */
export type GlazeConnection =
  | {
      /** The server, e.g. `https://glaze.example.com` (an API root ending in `/api/v1` works too). */
      baseUrl: string;
      /** A bearer token; without it the browser's session cookie is sent. */
      token?: string;
    }
  | { client: GlazeClient };

/** The rows asked for: `limit` rows (1–1000) from `offset` in table order. */
export interface RowsWanted {
  offset?: number;
  limit: number;
}

export interface RealtimeSnapshot extends EnrichmentState {
  status: ConnectionStatus;
  /** The rows were read from REST at least once. */
  loaded: boolean;
  /** Why the hook stopped trying (401, 404…), or the last failure while it retries. */
  error: string | undefined;
}

export type RealtimeTableOptions = TableFeedOptions;

/**
 * A 4xx after which retrying cannot help: a wrong token, table or `rows` (the message names the
 * field, e.g. `limit: Limit must be at most 1000`); 408 and 429 are worth another try.
 */
function isFinal(error: unknown): error is GlazeError {
  return (
    error instanceof GlazeError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![408, 429].includes(error.status)
  );
}

/** The client a connection names: its own, or one for its server (cookies go along cross-origin). */
export function clientOf(connection: GlazeConnection): GlazeClient {
  if ('client' in connection) return connection.client;
  const baseUrl = connection.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return createGlazeClient({ baseUrl, token: connection.token, credentials: 'include' });
}

/**
 * One table's rows and runs kept live, outside React (the hook reads it with useSyncExternalStore):
 * subscribe to the stream, read the rows once it is `ready` (so nothing written between is missed),
 * then narrow the stream to the held rows (`?rows=`), resuming after the last seq. A dropped stream
 * resumes with Last-Event-ID and no reload; a `reset` (the server cannot replay) reloads from REST.
 * @example const table = new RealtimeTable({ baseUrl, token }, 7, { limit: 100 }); table.start();
 */
export class RealtimeTable {
  private snapshot: RealtimeSnapshot = {
    ...emptyState,
    status: 'connecting',
    loaded: false,
    error: undefined,
  };
  private readonly listeners = new Set<() => void>();
  private readonly client: GlazeClient;
  private feed: TableFeed | undefined;
  private loading: AbortController | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private loadFailures = 0;

  constructor(
    connection: GlazeConnection,
    private readonly tableId: number,
    private readonly wanted: RowsWanted,
    private readonly options: RealtimeTableOptions = {},
  ) {
    this.client = clientOf(connection);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RealtimeSnapshot => this.snapshot;

  /** Starts (or restarts, after `stop`) following the table. */
  start(): void {
    this.stop();
    const feed = new TableFeed(
      this.client,
      this.tableId,
      {
        onEvent: (event) => {
          const applied = applyFrame(this.snapshot, event.event, event.data, event.id, this.wanted.limit);
          this.update(applied.state);
          // After a reset the rows are read again once the fresh stream is ready.
          if (applied.reload && event.event !== 'reset') void this.load(feed);
        },
        onReady: (cause: ReadyCause) => {
          if (cause !== 'resumed' || !this.snapshot.loaded) void this.load(feed);
        },
        onStatus: (status, error) => this.update(error ? { status, error: error.message } : { status }),
      },
      this.options,
    );
    this.feed = feed;
    feed.start();
  }

  stop(): void {
    this.feed?.stop();
    this.loading?.abort();
    clearTimeout(this.retry);
  }

  private update(change: Partial<RealtimeSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Reads the rows, then moves the stream to their window if it differs. */
  private async load(feed: TableFeed): Promise<void> {
    this.loading?.abort();
    clearTimeout(this.retry);
    const loading = new AbortController();
    this.loading = loading;
    const { signal } = loading;
    const path = { id: String(this.tableId) };
    try {
      const [page, running] = await Promise.all([
        this.client.listRows({
          params: {
            path,
            query: { offset: String(this.wanted.offset ?? 0), limit: String(this.wanted.limit) },
          },
          signal,
        }),
        this.client.listRuns({ params: { path, query: { status: 'running' } }, signal }),
      ]);
      const state = loaded(this.snapshot, page.rows, running.runs);
      this.loadFailures = 0;
      this.update({ ...state, loaded: true, error: undefined });
      feed.setWindow(rowWindow(state), state.lastSeq);
    } catch (error) {
      if (signal.aborted) return;
      if (isFinal(error)) {
        feed.stop();
        return this.update({ status: 'offline', error: error.message });
      }
      this.update({ error: (error as Error).message });
      const wait = (this.options.retryDelayMs ?? backoff)(this.loadFailures++);
      this.retry = setTimeout(() => void this.load(feed), wait);
    }
  }
}

/** `?rows=` of the held rows: sorted ids as ranges (`1-100,205`); undefined when none are held. */
export function rowWindow(state: EnrichmentState): string | undefined {
  const ids = state.rows.map((row) => row.id).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && (ids[j + 1] as number) === (ids[j] as number) + 1) j++;
    parts.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
