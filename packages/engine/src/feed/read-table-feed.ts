import { currentSeq } from './current-seq';
import { deliverBatch } from './deliver-batch';
import { drop, endTableFeed } from './end-subscription';
import { progressWhileLagging } from './progress-while-lagging';
import { readChanges } from './read-changes';
import { everyViewerWindowed, type HubState, type TableFeed } from './table-feed';
import { delivered } from './viewer-lag';

/**
 * A feed behind its table reads this many times `limit` a read: a read's fixed cost (the bound under
 * the lock, five index probes, the durable commit, the round trip) is paid per page, and 100,000
 * cells read back from a finished run came at 35,000 cells/s in pages of 2,000 against 52,000 in
 * pages of 5,000-8,000 (2 cores, load ~10). A feed that keeps up reads small pages, one per tick.
 * Only while every watcher has a row window: a whole-table watcher gets a page's every cell in one
 * frame (~4 MB at 8,000 cells, its whole unread-bytes bound). 200 whole-table watchers of a
 * 20,000-cell run with 4 × pages: 30-50 MB more server RSS, and in one of two runs 36 reset as slow
 * (under load main's 2,000-change pages once saw 121 resets too, so the resets are weak evidence).
 */
const lagFactor = 4;

function pageSize(hub: HubState, feed: TableFeed): number {
  return feed.lagging && everyViewerWindowed(feed) ? hub.limit * lagFactor : hub.limit;
}

/** Reads everything new in a table once and hands it to every subscriber of the table. */
export async function readTableFeed(hub: HubState, feed: TableFeed): Promise<void> {
  if (feed.released || feed.reading) return;
  feed.reading = true;
  feed.dirty = false;
  let retryMs: number | undefined;
  try {
    let more = true;
    while (more && !feed.released) {
      const now = Date.now();
      feed.streak = now - feed.lastReadAt < hub.coalesceMs ? feed.streak + 1 : 0;
      feed.lastReadAt = now;
      hub.reads++;
      // A feed behind its table pages up to the bound it last took, and takes the lock for a new one
      // only once it gets there: each bound waited ~100 ms for the run's flushes to let go of the lock
      // (2 cores, load ~9), a tenth of a second of lag for every page of 8,000 changes. The next bound
      // is taken beside the pages (`nextBound`), so that wait overlaps them instead of following them.
      if (feed.lagging && feed.bound <= feed.lastSeq && feed.nextBound) {
        feed.bound = Math.max(feed.bound, (await feed.nextBound) ?? 0);
        feed.nextBound = undefined;
      }
      const known = feed.lagging && feed.bound > feed.lastSeq ? feed.bound : undefined;
      // Paging up to a bound taken earlier: the next one is taken beside this page, so its wait for
      // the table's writers to let go of the lock overlaps the read instead of following it.
      if (known !== undefined) feed.nextBound ??= takeBound(hub, feed);
      const {
        batch,
        tableExists,
        more: hasMore,
        bound,
      } = await readChanges(hub.options.pool, feed.tableId, feed.lastSeq, {
        limit: pageSize(hub, feed),
        upTo: known,
        // the read that took this bound made it durable: no WAL flush a page (each a synchronous
        // fsync, behind every other database's writes on a shared disk)
        durableUpTo: known !== undefined,
      });
      feed.bound = bound;
      // At an old bound the table has likely moved on: read on, with a new bound.
      more = hasMore || known !== undefined;
      if (feed.released) break;
      if (!tableExists) {
        endTableFeed(hub, feed, 'tableDeleted');
        break;
      }
      if (batch.to <= feed.lastSeq) continue;
      feed.lastSeq = batch.to;
      for (const sub of [...feed.subs]) {
        if (!sub.catchingUp) deliverBatch(hub, feed, sub, batch);
        else if (sub.queue.push(batch) > (hub.options.maxQueued ?? 1000)) drop(hub, feed, sub, 'overflow');
      }
      delivered(feed);
      feed.lagging = more;
      if (more) feed.nextBound ??= takeBound(hub, feed);
      if (more && !feed.readingAhead) void progressWhileLagging(hub, feed);
    }
  } catch (error) {
    // Nothing was delivered past lastSeq: the next read starts where this one failed.
    feed.dirty = true;
    retryMs = 1000;
    if (!hub.health.failed(error)) hub.warn(error, 'reading the change feed failed; retrying');
  } finally {
    feed.reading = false;
    // a read that found nothing new still covers the notices at or below the position
    delivered(feed);
    if (feed.dirty) hub.schedule(feed, retryMs);
  }
}

/**
 * A new bound for a feed behind its table, taken on a connection of its own while the feed reads
 * the pages below its current one. With 1,000 row-window viewers of a 100,000-cell run, pages came
 * back to back instead of every other one waiting ~100-300 ms for the lock (2 cores, server, worker
 * and viewers on the same machine, five interleaved pairs): p99 lag 1,133-1,295 ms against
 * 1,243-1,424 ms (lower in four of five), the feed's cells per second of reading 24-29k against
 * ~19.5k. A lagging table holds two of the pool's connections, not one. The bound is durable
 * (currentSeq's statement is a barrier), so the pages read up to it need no barrier of their own.
 * Only with a connection to spare (none waited for, one idle or room for one more): the pool is the
 * API's too, and a few lagging tables must not starve its requests. Without one, or when the read
 * fails, it is undefined: the feed then takes its bound inline, and that read reports any error.
 */
function takeBound(hub: HubState, feed: TableFeed): Promise<number | undefined> {
  const { pool } = hub.options;
  const spare = pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10));
  if (!spare) return Promise.resolve(undefined);
  return currentSeq(pool, feed.tableId).catch(() => undefined);
}
