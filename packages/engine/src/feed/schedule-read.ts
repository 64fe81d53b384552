import { readTableFeed } from './read-table-feed';
import type { HubState, TableFeed } from './table-feed';

/**
 * Reads a table now, after `delayMs`, or once its read gap has passed; while a read is under way, or
 * the database is away, marks it dirty so it is read again after.
 */
export function scheduleRead(hub: HubState, feed: TableFeed, delayMs?: number): void {
  if (feed.released) return;
  if (feed.reading || !feed.isReady || !hub.health.available) {
    if (!hub.health.available) waitForDatabase(hub);
    feed.dirty = true;
    return;
  }
  if (feed.timer) return;
  const wait = delayMs ?? feed.lastReadAt + gapMs(hub, feed) - Date.now();
  if (wait <= 0) {
    void readTableFeed(hub, feed);
    return;
  }
  feed.timer = setTimeout(() => {
    feed.timer = undefined;
    void readTableFeed(hub, feed);
  }, wait);
}

/**
 * Time to leave after a table's last read before the next: none after a quiet spell (a run's last
 * change reaches the browser at once), then 1, 2, 4 … ms while changes keep coming, up to
 * `coalesceMs` — so a busy table is read at most every ~50 ms and a burst costs a few reads.
 */
function gapMs(hub: HubState, feed: TableFeed): number {
  if (Date.now() - feed.lastReadAt >= hub.coalesceMs) return 0;
  return Math.min(hub.coalesceMs, 2 ** feed.streak);
}

/**
 * While the database is away no table is read (its health probes instead); once it is back every
 * table is read, so what was committed just before the outage, and any notification the outage
 * swallowed, reaches the subscribers. The LISTEN connection is told to stop waiting out its backoff.
 */
function waitForDatabase(hub: HubState): void {
  if (hub.waitingForDatabase || hub.closed) return;
  hub.waitingForDatabase = true;
  void hub.health.whenAvailable().then(() => {
    hub.waitingForDatabase = false;
    if (hub.closed) return;
    hub.connection?.retryNow();
    for (const feed of hub.feeds.values()) scheduleRead(hub, feed);
  });
}
