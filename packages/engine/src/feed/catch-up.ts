import { inWindow, isEmpty } from './change-batch';
import { deliverBatch } from './deliver-batch';
import { dropAfter, endTableFeed } from './end-subscription';
import { readChanges } from './read-changes';
import { delay, type HubState, type Subscriber, type TableFeed } from './table-feed';

/**
 * A resuming subscriber reads its own backlog (paced by its listener), then joins the shared reads.
 * A read the database was away for waits for it and goes on from the subscriber's cursor.
 */
export async function catchUp(hub: HubState, feed: TableFeed, sub: Subscriber): Promise<void> {
  while (!sub.ended) {
    try {
      while (!sub.ended && sub.cursor < feed.lastSeq) {
        hub.reads++;
        const { batch, tableExists } = await readChanges(hub.options.pool, feed.tableId, sub.cursor, {
          limit: hub.limit,
          upTo: feed.lastSeq,
        });
        if (!tableExists) return endTableFeed(hub, feed, 'tableDeleted');
        if (sub.ended) return;
        sub.cursor = Math.max(sub.cursor, batch.to);
        const part = inWindow(batch, sub.rows);
        if (!isEmpty(part)) await sub.listener.onBatch(part);
      }
      sub.catchingUp = false;
      for (const batch of sub.queue.splice(0)) deliverBatch(hub, feed, sub, batch);
      return;
    } catch (error) {
      if (!hub.health.failed(error)) return dropAfter(hub, feed, sub, error);
      await (hub.health.available ? delay(1000) : hub.health.whenAvailable());
      if (hub.closed) return;
    }
  }
}
