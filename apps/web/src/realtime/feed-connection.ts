import { feedEventNames } from '@glaze/core';
import {
  type ConnectionSignal,
  type ConnectionState,
  type ConnectionStatus,
  nextConnection,
  retryDelay,
} from './connection-state';
import { type FeedEvent, parseFeedMessage, type Refetch } from './feed-event';
import type { FeedTarget, Touched } from './feed-target';
import { planFeedEvent } from './plan-feed-event';

export interface FeedHandlers {
  store: FeedTarget;
  /** Cells and rows the event changed in the store: repaint them. */
  onTouched(touched: Touched): void;
  /** Something must be reloaded from REST (`reset`, a schema change, rows added or removed). */
  onRefetch(what: Exclude<Refetch, 'none'>): void;
  /** The stream is subscribed (its `ready` frame); `first` is true once per connection object. */
  onReady?(first: boolean): void;
  onTableDeleted?(): void;
  onStatus(status: ConnectionStatus): void;
}

/** The part of `EventSource` used here, so tests can drive a fake one. */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

export type OpenEventSource = (url: string) => EventSourceLike;

/** EventSource.CLOSED, spelled out so this module runs where EventSource does not exist (tests). */
const closed = 2;

/**
 * One table's change stream. After a drop EventSource reconnects by itself, sending Last-Event-ID;
 * if it gives up (CLOSED) we reopen with `?after=<last seq>`; on `reset` (the server cannot replay)
 * we reopen afresh and reload from REST once the new stream is `ready`, so no change slips between.
 */
export class FeedConnection {
  private state: ConnectionState = { status: 'connecting', mustRefetch: false };
  private source: EventSourceLike | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private readyOnce = false;
  private stopped = false;
  /** `?rows=` of the stream: cell changes of these rows only; undefined for every cell. */
  private rows: string | undefined;

  constructor(
    private readonly url: string,
    private readonly handlers: () => FeedHandlers,
    private readonly open: OpenEventSource,
  ) {}

  start(): void {
    this.connect();
  }

  /** The row window the stream carries now (undefined: every cell). */
  get window(): string | undefined {
    return this.rows;
  }

  /**
   * Carries cell changes of these rows from now on: a new stream with the new window, resuming
   * after `after`, so rows that joined get every change since (their pages were read after it).
   */
  setWindow(rows: string, after: number): void {
    if (rows === this.rows || this.stopped) return;
    this.rows = rows;
    clearTimeout(this.retryTimer);
    this.connect(after || undefined);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.source?.close();
  }

  private signal(signal: ConnectionSignal): void {
    this.state = nextConnection(this.state, signal);
    this.handlers().onStatus(this.state.status);
  }

  private connect(after?: number): void {
    this.source?.close();
    if (this.stopped) return;
    const query = new URLSearchParams();
    if (after) query.set('after', String(after));
    if (this.rows) query.set('rows', this.rows);
    const current = this.open(query.size > 0 ? `${this.url}?${query}` : this.url);
    this.source = current;
    current.onerror = () => {
      if (this.source !== current) return;
      if (current.readyState !== closed) return this.signal('error-retrying');
      this.signal('error-closed');
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(
        () => {
          this.signal('retry');
          this.connect(this.handlers().store.lastSeq || undefined);
        },
        retryDelay(this.failures++),
      );
    };
    const handle = (event: Event) => {
      if (this.source !== current) return;
      const message = event as MessageEvent<string>;
      let parsed: FeedEvent | undefined;
      try {
        parsed = parseFeedMessage(message.type, message.data, message.lastEventId);
      } catch (error) {
        console.warn('glaze: unreadable realtime event', message.type, error);
      }
      if (parsed) this.apply(parsed);
    };
    for (const name of feedEventNames) current.addEventListener(name, handle);
  }

  private apply(event: FeedEvent): void {
    const handlers = this.handlers();
    const plan = planFeedEvent(handlers.store, event);
    handlers.onTouched(handlers.store.commit(plan));
    switch (event.type) {
      case 'ready':
        this.failures = 0;
        this.signal('ready');
        handlers.onReady?.(!this.readyOnce);
        this.readyOnce = true;
        if (this.state.mustRefetch) {
          this.state = { ...this.state, mustRefetch: false };
          handlers.onRefetch('all');
        }
        return;
      case 'reset':
        this.signal('reset');
        this.connect();
        return;
      case 'tableDeleted':
        this.source?.close();
        handlers.onTableDeleted?.();
        return;
      default:
        if (plan.refetch !== 'none') handlers.onRefetch(plan.refetch);
    }
  }
}
