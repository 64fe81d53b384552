import type { FeedEvent, GlazeClient } from '@glaze/client';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'deleted';

/**
 * Why a stream is `ready`: `first` (the feed's first stream), `reset` (the first after the server
 * could not replay: what is held may miss changes), `resumed` (after a drop or a new row window:
 * every change since was replayed, nothing to reload).
 */
export type ReadyCause = 'first' | 'reset' | 'resumed';

export interface TableFeedHandlers {
  /** Every frame, `changes` in seq order; the next is not read until this returns. */
  onEvent(event: FeedEvent): void;
  /** The stream is subscribed: rows read from REST from now on miss no change. */
  onReady(cause: ReadyCause): void;
  /**
   * `reconnecting` comes with why the stream dropped (none after a `reset`); `offline` with the
   * answer retrying cannot fix (a GlazeError: 401, 404, a bad `rows`…).
   */
  onStatus(status: ConnectionStatus, error?: Error): void;
}

export interface TableFeedOptions {
  /** Wait before reconnecting after the n-th failure in a row. Default 1 s, 2 s, 4 s… up to 30 s. */
  retryDelayMs?: (failures: number) => number;
}

/**
 * One table's change stream for a client that keeps its own state: `subscribe()` of @glaze/client
 * (Last-Event-ID resume, retries, `reset` → a fresh stream) plus what every holder of rows needs on
 * top — a status, why each `ready` came (read the rows now?) and a row window that can move.
 * @example const feed = new TableFeed(glaze, 7, { onEvent, onReady, onStatus }); feed.start();
 */
export class TableFeed {
  private running: AbortController | undefined;
  private rows: string | undefined;
  private readied = false;
  private wasReset = false;

  constructor(
    private readonly client: Pick<GlazeClient, 'subscribe'>,
    private readonly tableId: number,
    private readonly handlers: TableFeedHandlers,
    private readonly options: TableFeedOptions = {},
  ) {}

  /** The `?rows=` the stream carries now (undefined: every cell). */
  get window(): string | undefined {
    return this.rows;
  }

  /** Opens the stream, resuming after `after` when given (a new stream otherwise starts from now). */
  start(after?: number): void {
    this.running?.abort();
    const running = new AbortController();
    this.running = running;
    const { signal } = running;
    const live = (apply: () => void) => {
      // A stream this feed replaced may still hand over a frame it had read: drop it.
      if (!signal.aborted) apply();
    };
    this.client
      .subscribe(this.tableId, {
        lastEventId: after || undefined,
        rows: this.rows,
        signal,
        retryMs: this.options.retryDelayMs ?? backoff,
        onChanges: (data, seq) => live(() => this.handlers.onEvent({ event: 'changes', data, id: seq })),
        onEvent: (event) => live(() => this.received(event)),
        onDisconnect: (error) =>
          live(() =>
            this.handlers.onStatus('reconnecting', error instanceof Error ? error : new Error(String(error))),
          ),
      })
      .then(
        () => live(() => this.handlers.onStatus('deleted')),
        (error: Error) => live(() => this.handlers.onStatus('offline', error)),
      );
  }

  /**
   * Carries cell changes of these rows from now on: a new stream with the new window, resuming
   * after `after`, so rows that joined get every change since (their pages were read after it).
   */
  setWindow(rows: string | undefined, after: number): void {
    if (rows === this.rows || !this.running || this.running.signal.aborted) return;
    this.rows = rows;
    this.start(after);
  }

  stop(): void {
    this.running?.abort();
  }

  private received(event: Exclude<FeedEvent, { event: 'changes' }>): void {
    this.handlers.onEvent(event);
    if (event.event === 'reset') {
      this.wasReset = true;
      this.handlers.onStatus('reconnecting');
    } else if (event.event === 'ready') {
      const cause: ReadyCause = !this.readied ? 'first' : this.wasReset ? 'reset' : 'resumed';
      this.readied = true;
      this.wasReset = false;
      this.handlers.onStatus('live');
      this.handlers.onReady(cause);
    }
  }
}

/** 1 s, 2 s, 4 s… up to 30 s. */
export function backoff(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** failures);
}
