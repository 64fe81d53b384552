import type { FeedEndReason } from './feed-listener';
import { tableChannel } from './table-channel';
import type { HubState, Subscriber, TableFeed } from './table-feed';
import { wakeWaiters } from './viewer-lag';

/** A subscriber leaves; the table's feed is released with its last subscriber. */
export function leave(hub: HubState, feed: TableFeed, sub: Subscriber): void {
  sub.ended = true;
  if (feed.subs.delete(sub) && feed.subs.size === 0 && feed.joining === 0) release(hub, feed);
}

/** Stops reading a table: no more reads, and its channel is no longer listened to. */
export function release(hub: HubState, feed: TableFeed): void {
  if (feed.released) return;
  feed.released = true;
  clearTimeout(feed.timer);
  wakeWaiters(feed);
  if (hub.feeds.get(feed.tableId) === feed) hub.feeds.delete(feed.tableId);
  // Closing: the connection ends anyway, and its LISTENs with it.
  if (hub.closed) return;
  hub.connection?.unlisten(tableChannel(feed.tableId)).catch((error) => {
    if (!hub.health.failed(error)) hub.warn(error, 'UNLISTEN failed');
  });
}

/** Every subscriber of the table is told `reason`, and the table is released. */
export function endTableFeed(hub: HubState, feed: TableFeed, reason: FeedEndReason): void {
  for (const sub of feed.subs) drop(hub, feed, sub, reason);
  release(hub, feed);
}

/** The subscriber leaves and its listener is told why. */
export function drop(hub: HubState, feed: TableFeed, sub: Subscriber, reason: FeedEndReason): void {
  if (sub.ended) return;
  leave(hub, feed, sub);
  try {
    sub.listener.onEnd(reason);
  } catch (error) {
    hub.warn(error, 'feed listener failed');
  }
}

/** A listener threw or rejected: it is dropped as if it fell behind. */
export function dropAfter(hub: HubState, feed: TableFeed, sub: Subscriber, error: unknown): void {
  hub.warn(error, 'a feed subscriber failed; dropping it');
  drop(hub, feed, sub, 'overflow');
}
