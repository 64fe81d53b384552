import { afterEach, describe, expect, it, vi } from 'vitest';
import { newTableFeed } from '../src/feed/open-table-feed';
import type { HubState, Subscriber, TableFeed } from '../src/feed/table-feed';
import { delivered, noteChange, viewerLagMs, waitForViewers } from '../src/feed/viewer-lag';

/**
 * How far a table's viewers are behind its writers, and the wait a paced run makes for them
 * (viewer-lag.ts): the hub's bookkeeping alone, on a table feed as the hub keeps it.
 */
function feedOf(tableId: number, rows: Array<[number, number] | undefined>): TableFeed {
  const subs = rows.map(
    (window): Subscriber => ({
      listener: { onBatch: () => {}, onEnd: () => {} },
      rows: window && [window],
      cursor: 0,
      catchingUp: false,
      ended: false,
      queue: [],
    }),
  );
  const feed = newTableFeed(tableId);
  for (const sub of subs) feed.subs.add(sub);
  feed.lastSeq = 100;
  feed.isReady = true;
  return feed;
}

function hubOf(...feeds: TableFeed[]): HubState {
  return { feeds: new Map(feeds.map((feed) => [feed.tableId, feed])), closed: false } as unknown as HubState;
}

/** A wait, and whether it is over yet. */
function watch(wait: Promise<void>) {
  const state = { over: false, done: wait };
  state.done = wait.then(() => {
    state.over = true;
  });
  return state;
}

afterEach(() => vi.useRealTimers());

describe('viewer lag', () => {
  it('is the age of the oldest change notified and not yet delivered', () => {
    const feed = feedOf(1, [[1, 10]]);
    noteChange(feed, 100, 1_000); // at the position already: delivered
    noteChange(feed, 'not a seq' as unknown as number, 1_000);
    expect(viewerLagMs(feed, 1_500)).toBe(0);
    noteChange(feed, 120, 1_000);
    noteChange(feed, 150, 1_200);
    expect(viewerLagMs(feed, 1_500)).toBe(500);
    feed.lastSeq = 130;
    delivered(feed);
    expect(viewerLagMs(feed, 1_500)).toBe(300);
    feed.lastSeq = 150;
    delivered(feed);
    expect(viewerLagMs(feed, 1_500)).toBe(0);
    expect(feed.notices).toEqual([]);
  });

  it('holds a paced chunk until a delivery brings the viewers within the lag', async () => {
    vi.useFakeTimers();
    const feed = feedOf(1, [[1, 10]]);
    noteChange(feed, 120, Date.now() - 500);
    noteChange(feed, 140, Date.now() - 50);
    const wait = watch(waitForViewers(hubOf(feed), 1, 100, 5_000));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(wait.over).toBe(false);
    // a read delivers up to 130: the oldest left was notified 1,050 ms ago by now
    feed.lastSeq = 130;
    delivered(feed);
    await vi.advanceTimersByTimeAsync(0);
    expect(wait.over).toBe(false);
    feed.lastSeq = 140;
    delivered(feed);
    await wait.done;
    expect(feed.lagWaiters.size).toBe(0);
  });

  it('waits at most maxWaitMs: a stuck feed slows a run, never stops it', async () => {
    vi.useFakeTimers();
    const feed = feedOf(1, [[1, 10]]);
    noteChange(feed, 120, Date.now() - 500);
    const wait = watch(waitForViewers(hubOf(feed), 1, 100, 2_000));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(wait.over).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait.done;
    expect(feed.lagWaiters.size).toBe(0);
  });

  it('does not wait for a table nobody here watches, nor for a viewer of the whole table', async () => {
    const behind = (feed: TableFeed) => {
      noteChange(feed, 120, Date.now() - 10_000);
      return feed;
    };
    const windowed = behind(feedOf(1, [[1, 10]]));
    const whole = behind(feedOf(2, [[1, 10], undefined]));
    const hub = hubOf(windowed, whole);
    const quick = (promise: Promise<void>) =>
      Promise.race([promise.then(() => 'at once'), new Promise((r) => setTimeout(r, 50, 'waited'))]);
    expect(await quick(waitForViewers(hub, 3, 100, 5_000))).toBe('at once');
    expect(await quick(waitForViewers(hub, 2, 100, 5_000))).toBe('at once');
    expect(await quick(waitForViewers(hub, 1, 100, 5_000))).toBe('waited');
    windowed.released = true;
    for (const wake of [...windowed.lagWaiters]) wake();
    expect(windowed.lagWaiters.size).toBe(0);
  });
});
