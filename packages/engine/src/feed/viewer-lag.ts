import { everyViewerWindowed, type HubState, type TableFeed } from './table-feed';

/**
 * How far a table's viewers are behind its writers, and a wait for them to catch up: what paces a
 * run watched in the process that runs it (the worker's `paceWith`). Every NOTIFY a table's writers
 * send names the newest seq they wrote; it is noted with the time it arrived, and forgotten once a
 * read has handed everything up to it to the table's subscribers. The oldest notice left is how long
 * the viewers have been waiting for something committed.
 */

/** Notices kept per table: past this many the feed is far behind anyway, and the oldest is what counts. */
const maxNotices = 10_000;

/** A writer's NOTIFY for the table: `seq` is committed and not yet delivered (unless it already was). */
export function noteChange(feed: TableFeed, seq: number, at = Date.now()): void {
  if (!Number.isFinite(seq) || seq <= feed.lastSeq || feed.notices.length >= 2 * maxNotices) return;
  feed.notices.push(seq, at);
}

/** A read handed everything up to `feed.lastSeq` to the subscribers: the notices it covers go. */
export function delivered(feed: TableFeed): void {
  let covered = 0;
  while (covered < feed.notices.length && feed.notices[covered]! <= feed.lastSeq) covered += 2;
  if (covered > 0) feed.notices.splice(0, covered);
  wakeWaiters(feed);
}

/** Milliseconds since the oldest change the table's subscribers have not been sent was notified. */
export function viewerLagMs(feed: TableFeed, now = Date.now()): number {
  return feed.notices.length === 0 ? 0 : now - feed.notices[1]!;
}

/** Wakes every wait on the table (after a delivery, or when the table stops being read). */
export function wakeWaiters(feed: TableFeed): void {
  for (const wake of [...feed.lagWaiters]) wake();
}

/**
 * Resolves once the table's viewers are at most `maxLagMs` behind its writers, at once when nobody
 * watches it in this process, and at the latest after `maxWaitMs` (a feed held up by an unreachable
 * database or one slow read must not stop a run), or when the table stops being read. A run waits
 * only for viewers of row windows: a viewer of the whole table pays in bytes, every state of every
 * cell — 200 of them during a 20,000-cell run read 0.7 GB, and 1.0-1.3 GB when the run waited for
 * them (the feed, kept up, sent the queued and running states a lagging read skips), with the run no
 * faster and the viewers later (p99 1.4-1.9 s against 0.9-1.4).
 */
export function waitForViewers(
  hub: HubState,
  tableId: number,
  maxLagMs: number,
  maxWaitMs: number,
): Promise<void> {
  const feed = hub.feeds.get(tableId);
  if (!feed || feed.released || hub.closed || !everyViewerWindowed(feed) || viewerLagMs(feed) <= maxLagMs)
    return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      feed.lagWaiters.delete(check);
      resolve();
    };
    const check = () => {
      if (feed.released || hub.closed || viewerLagMs(feed) <= maxLagMs) done();
    };
    const timer = setTimeout(done, maxWaitMs);
    feed.lagWaiters.add(check);
  });
}
