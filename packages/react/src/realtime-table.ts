import { applyFrame, type EnrichmentState, emptyState, loaded } from './enrichment-state';
import { type GlazeConnection, GlazeHttpError, loadTable, type RowsWanted, readEvents } from './glaze-http';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'deleted';

export interface RealtimeSnapshot extends EnrichmentState {
  status: ConnectionStatus;
  /** The rows were read from REST at least once. */
  loaded: boolean;
  /** Why the hook stopped trying (401, 404…), or the last failure while it retries. */
  error: string | undefined;
}

export interface RealtimeTableOptions {
  /** Wait before reconnecting after the n-th failure in a row. Default 1 s, 2 s, 4 s… up to 30 s. */
  retryDelayMs?: (failures: number) => number;
}

/**
 * A 4xx after which retrying cannot help: a wrong token, table or `rows` (the message names the
 * field, e.g. `Limit must be at most 1000`); 408 and 429 are worth another try.
 */
function isFinal(error: unknown): error is GlazeHttpError {
  return (
    error instanceof GlazeHttpError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![408, 429].includes(error.status)
  );
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
  private running: AbortController | undefined;

  constructor(
    private readonly connection: GlazeConnection,
    private readonly tableId: number,
    private readonly wanted: RowsWanted,
    private readonly options: RealtimeTableOptions = {},
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RealtimeSnapshot => this.snapshot;

  /** Starts (or restarts, after `stop`) following the table. */
  start(): void {
    this.running?.abort();
    const running = new AbortController();
    this.running = running;
    void this.follow(running.signal);
  }

  stop(): void {
    this.running?.abort();
  }

  private update(change: Partial<RealtimeSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  private giveUp(error: GlazeHttpError): void {
    this.update({ status: 'offline', error: error.message });
    this.running?.abort();
  }

  private async follow(stopped: AbortSignal): Promise<void> {
    let failures = 0;
    let mustLoad = true;
    let after: number | undefined;
    while (!stopped.aborted) {
      const stream = new AbortController();
      const endStream = () => stream.abort();
      stopped.addEventListener('abort', endStream, { once: true });
      let reset = false;
      let narrowing = false;
      /** Reads the rows, then moves to a stream of their window if it differs from this one's. */
      const load = async () => {
        try {
          const read = await loadTable(this.connection, this.tableId, this.wanted, stream.signal);
          const state = loaded(this.snapshot, read.rows, read.runs);
          this.update({ ...state, loaded: true, error: undefined });
          if (rowWindow(state) !== window) {
            narrowing = true;
            stream.abort();
          }
        } catch (error) {
          if (stream.signal.aborted) return;
          if (isFinal(error)) return this.giveUp(error);
          mustLoad = true;
          this.update({ error: (error as Error).message });
          stream.abort();
        }
      };
      const window = this.snapshot.loaded ? rowWindow(this.snapshot) : undefined;
      try {
        await readEvents(
          this.connection,
          this.tableId,
          { after, rows: window, signal: stream.signal },
          (event, data, id) => {
            const applied = applyFrame(this.snapshot, event, data, id, this.wanted.limit);
            this.update(applied.state);
            if (event === 'ready') {
              failures = 0;
              this.update({ status: 'live' });
              if (mustLoad) {
                mustLoad = false;
                void load();
              }
            } else if (event === 'reset') {
              reset = true;
            } else if (event === 'tableDeleted') {
              this.update({ status: 'deleted' });
              this.running?.abort();
            } else if (applied.reload) {
              void load();
            }
          },
        );
      } catch (error) {
        if (isFinal(error)) return this.giveUp(error);
        if (!stream.signal.aborted) this.update({ error: (error as Error).message });
      } finally {
        stopped.removeEventListener('abort', endStream);
      }
      if (stopped.aborted) return;
      // After a reset the stream starts afresh and the rows are read again once it is ready.
      if (reset) mustLoad = true;
      after = reset ? undefined : this.snapshot.lastSeq || undefined;
      if (narrowing || reset) continue;
      this.update({ status: 'reconnecting' });
      await sleep((this.options.retryDelayMs ?? backoff)(failures++), stopped);
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

function backoff(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** failures);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
