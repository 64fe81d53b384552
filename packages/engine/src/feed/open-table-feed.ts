import { currentSeq } from './current-seq';
import { release } from './end-subscription';
import { tableChannel } from './table-channel';
import type { HubState, TableFeed } from './table-feed';
import { delivered } from './viewer-lag';

/** A table's feed before anything is known of it: no subscribers, position 0, not ready. */
export function newTableFeed(tableId: number): TableFeed {
  return {
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
    bound: 0,
    notices: [],
    lagWaiters: new Set(),
  };
}

/** Starts watching a table: LISTENs on its channel, then reads its position (`ready` resolves after). */
export function openTableFeed(hub: HubState, tableId: number): TableFeed {
  const feed = newTableFeed(tableId);
  feed.ready = (async () => {
    // LISTEN before reading the position, so nothing committed after that read goes unnoticed.
    // A LISTEN lost with its connection is issued again when the connection comes back.
    await hub.connection?.listen(tableChannel(tableId)).catch((error) => {
      if (!hub.health.failed(error)) hub.warn(error, 'LISTEN failed');
    });
    feed.lastSeq = await currentSeq(hub.options.pool, tableId);
    feed.isReady = true;
    delivered(feed);
    if (feed.dirty) hub.schedule(feed);
  })();
  feed.ready.catch((error) => {
    // The subscriber gets the error (the server ends its stream; the client comes back later).
    hub.health.failed(error);
    release(hub, feed);
  });
  hub.feeds.set(tableId, feed);
  return feed;
}
