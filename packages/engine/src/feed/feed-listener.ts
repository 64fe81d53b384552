import type { RowWindow } from '@glaze/core';
import type { ChangeBatch } from './change-batch';
import type { AheadRead } from './read-ahead';

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
