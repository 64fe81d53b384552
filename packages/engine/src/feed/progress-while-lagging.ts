import { windowHas } from '@glaze/core';
import { dropAfter } from './end-subscription';
import { type AheadRead, readAhead } from './read-ahead';
import { delay, type HubState, type TableFeed } from './table-feed';
import type { WireCell } from './wire-cell';

/**
 * The feed is behind (a read hit its limit): 200,000 changes of a 100,000-cell run take the feed
 * ~20 s to page through, and a run's counts, written by every flush, always sit past its position.
 * So while it is behind, every `aheadMs` (beside the page reads, not between them: one page can
 * take a second on a loaded machine), read the runs and the watched rows' cells past it (the runs
 * alone when more than `aheadRows` rows are watched).
 */
export async function progressWhileLagging(hub: HubState, feed: TableFeed): Promise<void> {
  feed.readingAhead = true;
  try {
    while (feed.lagging && !feed.released && !hub.closed) {
      const began = Date.now();
      await sendProgress(hub, feed);
      await delay(Math.max(0, spacingMs(hub, feed) - (Date.now() - began)));
    }
  } catch (error) {
    // Only progress is late: the page reads go on, and the next lag starts reading ahead again.
    if (!hub.health.failed(error)) hub.warn(error, 'reading ahead of the change feed failed');
  } finally {
    feed.readingAhead = false;
  }
}

/**
 * `aheadMs`, or longer for a table with many watchers: at most ~2,000 progress frames a second per
 * table. 1,000 watchers every 200 ms were 5,000 socket writes a second, the server's largest cost
 * after GC in a profile of a watched run (`writev` 7 % of its CPU), and as many reads for the clients;
 * with 1,000 watchers progress comes every 500 ms.
 */
function spacingMs(hub: HubState, feed: TableFeed): number {
  return Math.max(hub.options.aheadMs ?? 200, feed.subs.size / maxProgressPerMs);
}

const maxProgressPerMs = 2;

async function sendProgress(hub: HubState, feed: TableFeed): Promise<void> {
  // Each watched row costs an index probe per enrichment column every `aheadMs`: 1,000 viewports of
  // 100 rows are 100,000 probes, ~0.6-1 s a read ahead on 2 loaded cores, taken from the run's writers
  // and the feed's own reads. Past `aheadRows` the read ahead carries the runs' counts only (and the
  // rows are not all listed first: 100,000 ids in a Set every 200 ms were 1.2 % of the server's CPU).
  const watched = watchedRows(feed, hub.options.aheadRows ?? 5_000);
  hub.reads++;
  // Only what changed since the last read ahead: the watchers hold the rest (a watcher that joined
  // meanwhile gets it from the batches), so 100 windows of a busy run cost a few cells per read.
  const after = Math.max(feed.lastSeq, feed.aheadSeq);
  const ahead = await readAhead(hub.options.pool, feed.tableId, after, watched);
  for (const item of [...ahead.runs, ...ahead.cells]) feed.aheadSeq = Math.max(feed.aheadSeq, item.seq);
  // One object for every watcher whose window has no cells in it (past `aheadRows`, all of them), so
  // a listener that encodes it can do so once for 1,000 watchers, not once each.
  const runsOnly: AheadRead = { runs: ahead.runs, cells: [] };
  for (const sub of [...feed.subs]) {
    const window = sub.rows;
    const cells: WireCell[] = window ? ahead.cells.filter((cell) => windowHas(window, cell.rowId)) : [];
    if (sub.ended || !sub.listener.onAhead || ahead.runs.length + cells.length === 0) continue;
    try {
      sub.listener.onAhead(cells.length === 0 ? runsOnly : { runs: ahead.runs, cells });
    } catch (error) {
      dropAfter(hub, feed, sub, error);
    }
  }
}

/**
 * The rows the feed's watchers see, or none past `most`: counted while they are listed, so a window
 * of many rows costs at most `most` ids. Listing a 100,000-row window whole before the count blocked
 * the server's event loop for ~65 ms on Node 22 (the feed's next page and bound waited behind it).
 */
function watchedRows(feed: TableFeed, most: number): number[] {
  const watched = new Set<number>();
  for (const sub of feed.subs) {
    for (const [lo, hi] of sub.rows ?? []) {
      for (let id = lo; id <= hi; id++) {
        watched.add(id);
        if (watched.size > most) return [];
      }
    }
  }
  return [...watched];
}
