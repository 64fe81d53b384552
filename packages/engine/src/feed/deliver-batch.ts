import { type ChangeBatch, inWindow, isEmpty, sliceAfter } from './change-batch';
import { dropAfter } from './end-subscription';
import type { HubState, Subscriber, TableFeed } from './table-feed';

/** Hands a live batch to one subscriber: the part past its cursor, in its row window, if any. */
export function deliverBatch(hub: HubState, feed: TableFeed, sub: Subscriber, batch: ChangeBatch): void {
  if (sub.ended || batch.to <= sub.cursor) return;
  const part = inWindow(sliceAfter(batch, sub.cursor), sub.rows);
  sub.cursor = batch.to;
  if (isEmpty(part)) return;
  try {
    const pending = sub.listener.onBatch(part);
    if (pending) pending.catch((error) => dropAfter(hub, feed, sub, error));
  } catch (error) {
    dropAfter(hub, feed, sub, error);
  }
}
