import { type RowWindow, toError, windowHas, windowIds } from '@glaze/core';
import { DatabaseHealth, type Logger, type Pool } from '@glaze/db';
import type { CellInfo } from './cell-fields';
import { type ChangeBatch, inWindow, isEmpty, sliceAfter } from './change-batch';
import { currentSeq } from './current-seq';
import { ListenConnection } from './listen-connection';
import { type AheadRead, readAhead } from './read-ahead';
import { readChanges } from './read-changes';
import { channelTable, tableChannel } from './table-channel';

export type FeedEndReason = 'tableDeleted' | 'overflow' | 'closed';

export interface FeedListener {
  /** Batches in seq order. Live batches never wait for the promise; catch-up reads do (backpressure). */
  onBatch(batch: ChangeBatch): void | Promise<void>;
  /** No more batches will come. */
  onEnd(reason: FeedEndReason): void;
  /** Called once, before any batch, with the seq the subscriber holds everything up to. */
  onStart?(seq: number): void;
  /**
   * While the feed is behind: the newest runs and the newest state of the window's cells, past the
   * batches delivered so far. They come again, with the same seqs, in later batches.
   */
  onAhead?(ahead: AheadRead): void;
}

export interface SubscribeOptions {
  /** Cells of these rows only (runs, rows and table changes always); without it every cell. */
  rows?: RowWindow;
}

export interface FeedSubscription {
  /** The seq the subscriber holds everything up to when it joined. */
  startSeq: number;
  unsubscribe(): void;
}

export interface FeedHubOptions {
  pool: Pool;
  logger: Logger;
  /** Session connection string for LISTEN; without it the hub polls. */
  listenUrl?: string;
  /** `auto` LISTENs when a test NOTIFY comes back (not behind a transaction-mode pooler), else polls. */
  mode?: 'auto' | 'listen' | 'poll';
  pollMs?: number;
  /** Least time between two reads of one table under load; an idle table is read at once. */
  coalesceMs?: number;
  /** Items of each kind per read. */
  limit?: number;
  /** Live batches a resuming subscriber may hold while it catches up before it is dropped. */
  maxQueued?: number;
  /** Least time between two reads ahead of a lagging table's position (progress for its watchers). */
  aheadMs?: number;
  /**
   * Told of every failed read; while the database is away, reads wait for it (and the hub reads every
   * table once it is back) instead of retrying each second. The hub makes its own when not given.
   */
  health?: DatabaseHealth;
}

interface Subscriber {
  listener: FeedListener;
  rows?: RowWindow;
  cursor: number;
  catchingUp: boolean;
  ended: boolean;
  queue: ChangeBatch[];
}

interface TableFeed {
  tableId: number;
  lastSeq: number;
  subs: Set<Subscriber>;
  joining: number;
  ready: Promise<void>;
  isReady: boolean;
  released: boolean;
  reading: boolean;
  dirty: boolean;
  lastReadAt: number;
  /** Reads in a row that started within `coalesceMs` of the one before (how busy the table is). */
  streak: number;
  /** The last read hit its limit: the feed is behind the table's changes. */
  lagging: boolean;
  readingAhead: boolean;
  /** The newest seq a read ahead handed out: the next one reads only what changed after it. */
  aheadSeq: number;
  timer?: NodeJS.Timeout;
}

/**
 * Fans a table's change feed out to every watcher in this process: one LISTEN connection, one read
 * per table per tick however many clients watch it, reads spaced by a gap that grows from 0 to `coalesceMs` while changes keep coming.
 * @example const hub = await FeedHub.start({ pool, logger, listenUrl }); await hub.subscribe(7, listener);
 */
export class FeedHub {
  readonly feeds = new Map<number, TableFeed>();
  mode: 'listen' | 'poll' = 'poll';
  /** Change-feed statements issued, for tests. */
  reads = 0;
  /** Whether the database answers, as this hub's reads (and the LISTEN connection) find it. */
  readonly health: DatabaseHealth;
  private readonly ownsHealth: boolean;
  private waitingForDatabase = false;
  private connection: ListenConnection | undefined;
  private polling = true;
  private closed = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly coalesceMs: number;
  private readonly limit: number;

  private constructor(private readonly options: FeedHubOptions) {
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
        onNotify: (channel) => this.notified(channel),
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
    const feed = this.feeds.get(tableId) ?? this.open(tableId);
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
      void this.catchUp(feed, sub);
    }
    return { startSeq: sub.cursor, unsubscribe: () => this.leave(feed, sub) };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    for (const feed of [...this.feeds.values()]) this.end(feed, 'closed');
    await this.connection?.close();
    if (this.ownsHealth) this.health.close();
  }

  private open(tableId: number): TableFeed {
    const feed: TableFeed = {
      tableId,
      lastSeq: 0,
      subs: new Set(),
      joining: 0,
      ready: Promise.resolve(),
      isReady: false,
      released: false,
      reading: false,
      dirty: false,
      lastReadAt: 0,
      streak: 0,
      lagging: false,
      readingAhead: false,
      aheadSeq: 0,
    };
    feed.ready = (async () => {
      // LISTEN before reading the position, so nothing committed after that read goes unnoticed.
      // A LISTEN lost with its connection is issued again when the connection comes back.
      await this.connection?.listen(tableChannel(tableId)).catch((error) => {
        if (!this.health.failed(error)) this.warn(error, 'LISTEN failed');
      });
      feed.lastSeq = await currentSeq(this.options.pool, tableId);
      feed.isReady = true;
      if (feed.dirty) this.schedule(feed);
    })();
    feed.ready.catch((error) => {
      // The subscriber gets the error (the server ends its stream; the client comes back later).
      this.health.failed(error);
      this.release(feed);
    });
    this.feeds.set(tableId, feed);
    return feed;
  }

  private leave(feed: TableFeed, sub: Subscriber): void {
    sub.ended = true;
    if (feed.subs.delete(sub) && feed.subs.size === 0 && feed.joining === 0) this.release(feed);
  }

  private release(feed: TableFeed): void {
    if (feed.released) return;
    feed.released = true;
    clearTimeout(feed.timer);
    if (this.feeds.get(feed.tableId) === feed) this.feeds.delete(feed.tableId);
    // Closing: the connection ends anyway, and its LISTENs with it.
    if (this.closed) return;
    this.connection?.unlisten(tableChannel(feed.tableId)).catch((error) => {
      if (!this.health.failed(error)) this.warn(error, 'UNLISTEN failed');
    });
  }

  private end(feed: TableFeed, reason: FeedEndReason): void {
    for (const sub of feed.subs) this.drop(feed, sub, reason);
    this.release(feed);
  }

  private drop(feed: TableFeed, sub: Subscriber, reason: FeedEndReason): void {
    if (sub.ended) return;
    this.leave(feed, sub);
    try {
      sub.listener.onEnd(reason);
    } catch (error) {
      this.warn(error, 'feed listener failed');
    }
  }

  private notified(channel: string): void {
    const tableId = channelTable(channel);
    const feed = tableId === undefined ? undefined : this.feeds.get(tableId);
    if (feed) this.schedule(feed);
  }

  private setLive(live: boolean): void {
    this.polling = !live;
    // Back on LISTEN: whatever was committed while it was down is read now.
    if (live) for (const feed of this.feeds.values()) this.schedule(feed);
  }

  private schedule(feed: TableFeed, delayMs?: number): void {
    if (feed.released) return;
    if (feed.reading || !feed.isReady || !this.health.available) {
      if (!this.health.available) this.waitForDatabase();
      feed.dirty = true;
      return;
    }
    if (feed.timer) return;
    const wait = delayMs ?? feed.lastReadAt + this.gapMs(feed) - Date.now();
    if (wait <= 0) {
      void this.tick(feed);
      return;
    }
    feed.timer = setTimeout(() => {
      feed.timer = undefined;
      void this.tick(feed);
    }, wait);
  }

  /**
   * Time to leave after a table's last read before the next: none after a quiet spell (a run's last
   * change reaches the browser at once), then 1, 2, 4 … ms while changes keep coming, up to
   * `coalesceMs` — so a busy table is read at most every ~50 ms and a burst costs a few reads.
   */
  private gapMs(feed: TableFeed): number {
    if (Date.now() - feed.lastReadAt >= this.coalesceMs) return 0;
    return Math.min(this.coalesceMs, 2 ** feed.streak);
  }

  /** Reads everything new once and hands it to every subscriber of the table. */
  private async tick(feed: TableFeed): Promise<void> {
    if (feed.released || feed.reading) return;
    feed.reading = true;
    feed.dirty = false;
    let retryMs: number | undefined;
    try {
      let more = true;
      while (more && !feed.released) {
        const now = Date.now();
        feed.streak = now - feed.lastReadAt < this.coalesceMs ? feed.streak + 1 : 0;
        feed.lastReadAt = now;
        this.reads++;
        const {
          batch,
          tableExists,
          more: hasMore,
        } = await readChanges(this.options.pool, feed.tableId, feed.lastSeq, {
          limit: this.limit,
        });
        more = hasMore;
        if (feed.released) break;
        if (!tableExists) {
          this.end(feed, 'tableDeleted');
          break;
        }
        if (batch.to <= feed.lastSeq) continue;
        feed.lastSeq = batch.to;
        for (const sub of [...feed.subs]) {
          if (!sub.catchingUp) this.deliver(feed, sub, batch);
          else if (sub.queue.push(batch) > (this.options.maxQueued ?? 1000)) this.drop(feed, sub, 'overflow');
        }
        feed.lagging = more;
        if (more && !feed.readingAhead) void this.readAheadWhileLagging(feed);
      }
    } catch (error) {
      // Nothing was delivered past lastSeq: the next read starts where this one failed.
      feed.dirty = true;
      retryMs = 1000;
      if (!this.health.failed(error)) this.warn(error, 'reading the change feed failed; retrying');
    } finally {
      feed.reading = false;
      if (feed.dirty) this.schedule(feed, retryMs);
    }
  }

  /**
   * The feed is behind (a read hit its limit): 200,000 changes of a 100,000-cell run take the feed
   * ~20 s to page through, and a run's counts, written by every flush, always sit past its position.
   * So while it is behind, every `aheadMs` (beside the page reads, not between them: one page can
   * take a second on a loaded machine), read the runs and the watched rows' cells past it.
   */
  private async readAheadWhileLagging(feed: TableFeed): Promise<void> {
    feed.readingAhead = true;
    try {
      while (feed.lagging && !feed.released && !this.closed) {
        const began = Date.now();
        await this.readAhead(feed);
        await delay(Math.max(0, (this.options.aheadMs ?? 200) - (Date.now() - began)));
      }
    } catch (error) {
      // Only progress is late: the page reads go on, and the next lag starts reading ahead again.
      if (!this.health.failed(error)) this.warn(error, 'reading ahead of the change feed failed');
    } finally {
      feed.readingAhead = false;
    }
  }

  private async readAhead(feed: TableFeed): Promise<void> {
    const watched = new Set<number>();
    for (const sub of feed.subs) if (sub.rows) for (const id of windowIds(sub.rows)) watched.add(id);
    this.reads++;
    // Only what changed since the last read ahead: the watchers hold the rest (a watcher that joined
    // meanwhile gets it from the batches), so 100 windows of a busy run cost a few cells per read.
    const after = Math.max(feed.lastSeq, feed.aheadSeq);
    const ahead = await readAhead(this.options.pool, feed.tableId, after, [...watched]);
    for (const item of [...ahead.runs, ...ahead.cells]) feed.aheadSeq = Math.max(feed.aheadSeq, item.seq);
    for (const sub of [...feed.subs]) {
      const window = sub.rows;
      const cells: CellInfo[] = window ? ahead.cells.filter((cell) => windowHas(window, cell.rowId)) : [];
      if (sub.ended || !sub.listener.onAhead || ahead.runs.length + cells.length === 0) continue;
      try {
        sub.listener.onAhead({ runs: ahead.runs, cells });
      } catch (error) {
        this.dropAfter(feed, sub, error);
      }
    }
  }

  private deliver(feed: TableFeed, sub: Subscriber, batch: ChangeBatch): void {
    if (sub.ended || batch.to <= sub.cursor) return;
    const part = inWindow(sliceAfter(batch, sub.cursor), sub.rows);
    sub.cursor = batch.to;
    if (isEmpty(part)) return;
    try {
      const pending = sub.listener.onBatch(part);
      if (pending) pending.catch((error) => this.dropAfter(feed, sub, error));
    } catch (error) {
      this.dropAfter(feed, sub, error);
    }
  }

  /**
   * A resuming subscriber reads its own backlog (paced by its listener), then joins the shared reads.
   * A read the database was away for waits for it and goes on from the subscriber's cursor.
   */
  private async catchUp(feed: TableFeed, sub: Subscriber): Promise<void> {
    while (!sub.ended) {
      try {
        while (!sub.ended && sub.cursor < feed.lastSeq) {
          this.reads++;
          const { batch, tableExists } = await readChanges(this.options.pool, feed.tableId, sub.cursor, {
            limit: this.limit,
            upTo: feed.lastSeq,
          });
          if (!tableExists) return this.end(feed, 'tableDeleted');
          if (sub.ended) return;
          sub.cursor = Math.max(sub.cursor, batch.to);
          const part = inWindow(batch, sub.rows);
          if (!isEmpty(part)) await sub.listener.onBatch(part);
        }
        sub.catchingUp = false;
        for (const batch of sub.queue.splice(0)) this.deliver(feed, sub, batch);
        return;
      } catch (error) {
        if (!this.health.failed(error)) return this.dropAfter(feed, sub, error);
        await (this.health.available ? delay(1000) : this.health.whenAvailable());
        if (this.closed) return;
      }
    }
  }

  /**
   * While the database is away no table is read (its health probes instead); once it is back every
   * table is read, so what was committed just before the outage, and any notification the outage
   * swallowed, reaches the subscribers. The LISTEN connection is told to stop waiting out its backoff.
   */
  private waitForDatabase(): void {
    if (this.waitingForDatabase || this.closed) return;
    this.waitingForDatabase = true;
    void this.health.whenAvailable().then(() => {
      this.waitingForDatabase = false;
      if (this.closed) return;
      this.connection?.retryNow();
      for (const feed of this.feeds.values()) this.schedule(feed);
    });
  }

  private dropAfter(feed: TableFeed, sub: Subscriber, error: unknown): void {
    this.warn(error, 'a feed subscriber failed; dropping it');
    this.drop(feed, sub, 'overflow');
  }

  private warn(error: unknown, message: string): void {
    this.options.logger.warn({ err: toError(error) }, `realtime: ${message}`);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
