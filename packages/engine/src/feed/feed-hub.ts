import { toError } from '@glaze/core';
import { DatabaseHealth } from '@glaze/db';
import { catchUp } from './catch-up';
import { endTableFeed, leave } from './end-subscription';
import type { FeedListener, FeedSubscription, SubscribeOptions } from './feed-listener';
import { ListenConnection } from './listen-connection';
import { openTableFeed } from './open-table-feed';
import { scheduleRead } from './schedule-read';
import { channelTable } from './table-channel';
import type { FeedHubOptions, HubState, Subscriber, TableFeed } from './table-feed';
import { noteChange, waitForViewers } from './viewer-lag';

export type { FeedEndReason, FeedListener, FeedSubscription, SubscribeOptions } from './feed-listener';
export type { FeedHubOptions } from './table-feed';

/**
 * Fans a table's change feed out to every watcher in this process: one LISTEN connection, one read
 * per table per tick however many clients watch it, reads spaced by a gap that grows from 0 to `coalesceMs` while changes keep coming.
 * Each operation is a file of its own (`open-table-feed`, `schedule-read`, `read-table-feed`,
 * `deliver-batch`, `catch-up`, `progress-while-lagging`, `end-subscription`), given the hub as `HubState`.
 * @example const hub = await FeedHub.start({ pool, logger, listenUrl }); await hub.subscribe(7, listener);
 */
export class FeedHub implements HubState {
  readonly feeds = new Map<number, TableFeed>();
  mode: 'listen' | 'poll' = 'poll';
  reads = 0;
  /** Whether the database answers, as this hub's reads (and the LISTEN connection) find it. */
  readonly health: DatabaseHealth;
  readonly coalesceMs: number;
  readonly limit: number;
  connection: ListenConnection | undefined;
  closed = false;
  waitingForDatabase = false;
  private readonly ownsHealth: boolean;
  private polling = true;
  private pollTimer: NodeJS.Timeout | undefined;

  private constructor(readonly options: FeedHubOptions) {
    this.coalesceMs = options.coalesceMs ?? 50;
    this.limit = options.limit ?? 2000;
    this.ownsHealth = !options.health;
    this.health =
      options.health ?? new DatabaseHealth(options.pool, options.logger, { name: 'DATABASE_URL' });
  }

  /** Notifications arrive right now (false while polling, or while a lost LISTEN connection reconnects). */
  get listening(): boolean {
    return this.mode === 'listen' && !this.polling;
  }

  static async start(options: FeedHubOptions): Promise<FeedHub> {
    const hub = new FeedHub(options);
    await hub.init();
    return hub;
  }

  private async init(): Promise<void> {
    const { pool, logger, listenUrl } = this.options;
    const want = this.options.mode ?? 'auto';
    if (want !== 'poll' && listenUrl) {
      const connection = new ListenConnection({
        url: listenUrl,
        logger,
        health: this.health,
        onNotify: (channel, payload) => this.notified(channel, payload),
        onState: (live) => this.setLive(live),
      });
      try {
        await connection.connect();
        if (want === 'auto' && !(await connection.probe(pool))) {
          throw new Error('a test NOTIFY never arrived (a transaction-mode pooler?)');
        }
        this.connection = connection;
        this.mode = 'listen';
        this.polling = false;
      } catch (error) {
        await connection.close();
        if (want === 'listen') throw error;
        logger.warn({ err: error }, 'realtime: LISTEN unavailable, polling instead');
      }
    }
    this.pollTimer = setInterval(() => {
      if (this.polling) for (const feed of this.feeds.values()) this.schedule(feed);
    }, this.options.pollMs ?? 1000);
    this.pollTimer.unref();
  }

  /** Watches a table from `afterSeq` (resume) or from now; `options.rows` narrows the cells to a window. */
  async subscribe(
    tableId: number,
    listener: FeedListener,
    afterSeq?: number,
    options: SubscribeOptions = {},
  ): Promise<FeedSubscription> {
    if (this.closed) throw new Error('the feed hub is closed');
    const feed = this.feeds.get(tableId) ?? openTableFeed(this, tableId);
    feed.joining++;
    try {
      await feed.ready;
    } finally {
      feed.joining--;
    }
    const sub: Subscriber = {
      listener,
      rows: options.rows,
      cursor: afterSeq ?? feed.lastSeq,
      catchingUp: false,
      ended: false,
      queue: [],
    };
    feed.subs.add(sub);
    listener.onStart?.(sub.cursor);
    if (sub.cursor < feed.lastSeq) {
      sub.catchingUp = true;
      void catchUp(this, feed, sub);
    }
    return { startSeq: sub.cursor, unsubscribe: () => leave(this, feed, sub) };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    for (const feed of [...this.feeds.values()]) endTableFeed(this, feed, 'closed');
    await this.connection?.close();
    if (this.ownsHealth) this.health.close();
  }

  schedule(feed: TableFeed, delayMs?: number): void {
    scheduleRead(this, feed, delayMs);
  }

  warn(error: unknown, message: string): void {
    this.options.logger.warn({ err: toError(error) }, `realtime: ${message}`);
  }

  /**
   * Resolves once the table's viewers in this process are at most `maxLagMs` behind its writers (at
   * once when nobody here watches it), after `maxWaitMs` at the latest: see viewer-lag.ts.
   */
  waitForViewers(tableId: number, maxLagMs: number, maxWaitMs: number): Promise<void> {
    return waitForViewers(this, tableId, maxLagMs, maxWaitMs);
  }

  private notified(channel: string, payload: string | undefined): void {
    const tableId = channelTable(channel);
    const feed = tableId === undefined ? undefined : this.feeds.get(tableId);
    if (!feed) return;
    noteChange(feed, Number(payload));
    this.schedule(feed);
  }

  private setLive(live: boolean): void {
    this.polling = !live;
    // Back on LISTEN: whatever was committed while it was down is read now.
    if (live) for (const feed of this.feeds.values()) this.schedule(feed);
  }
}
