import type { RowWindow } from '@glaze/core';
import type { DatabaseHealth, Logger, Pool } from '@glaze/db';
import type { ChangeBatch } from './change-batch';
import type { FeedListener } from './feed-listener';
import type { ListenConnection } from './listen-connection';

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
  /**
   * Least time between two reads ahead of a lagging table's position (progress for its watchers);
   * longer past 400 watchers, so a table sends at most ~2,000 progress frames a second.
   */
  aheadMs?: number;
  /** Most watched rows whose cells a read ahead reads (5,000); past it, a read ahead carries runs only. */
  aheadRows?: number;
  /**
   * Told of every failed read; while the database is away, reads wait for it (and the hub reads every
   * table once it is back) instead of retrying each second. The hub makes its own when not given.
   */
  health?: DatabaseHealth;
}

export interface Subscriber {
  listener: FeedListener;
  rows?: RowWindow;
  cursor: number;
  catchingUp: boolean;
  ended: boolean;
  queue: ChangeBatch[];
}

/** One watched table in a hub: its position in the feed, its subscribers, and its read schedule. */
export interface TableFeed {
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
  /**
   * The newest bound a read of this feed took under the table's lock: every change at or below it is
   * committed, so a feed behind its table pages up to it without waiting for the lock again.
   */
  bound: number;
  /** A newer bound being taken while the feed pages below `bound` (only while it is behind). */
  nextBound?: Promise<number | undefined>;
  timer?: NodeJS.Timeout;
  /**
   * The writers' notifications not yet delivered, oldest first, as pairs: the seq each named and
   * when it arrived (epoch ms). See viewer-lag.ts.
   */
  notices: number[];
  /** Waits for the table's viewers to catch up (viewer-lag.ts), checked after each delivery. */
  lagWaiters: Set<() => void>;
}

/** What the hub's operations (one file each) share: the `FeedHub` itself. */
export interface HubState {
  readonly options: FeedHubOptions;
  readonly feeds: Map<number, TableFeed>;
  readonly health: DatabaseHealth;
  readonly connection: ListenConnection | undefined;
  readonly closed: boolean;
  readonly coalesceMs: number;
  readonly limit: number;
  /** Change-feed statements issued, for tests. */
  reads: number;
  /** While the database is away, a read waits for it; this waits once for the whole hub. */
  waitingForDatabase: boolean;
  /** Reads the table now, or once its read gap has passed (see `scheduleRead`). */
  schedule(feed: TableFeed, delayMs?: number): void;
  warn(error: unknown, message: string): void;
}

/**
 * Every subscriber of the table watches a row window (the web grid's streams); a viewer of the whole
 * table gets every cell of every page. Larger pages and a paced run are for windowed viewers only.
 */
export function everyViewerWindowed(feed: TableFeed): boolean {
  for (const sub of feed.subs) if (!sub.rows) return false;
  return true;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
