import type { GlazeClient, SubscribeOptions } from '@glaze/client';
import { GlazeError } from '@glaze/client';
import { describe, expect, it } from 'vitest';
import { type ConnectionStatus, type ReadyCause, TableFeed } from '../src/index';

/**
 * TableFeed over a stand-in for `subscribe()` that the test drives by hand: what it asks of
 * subscribe (resume point, row window) and what it makes of the frames. subscribe's own reconnects
 * run against a real server in packages/client/test/subscribe-resume.test.ts.
 */
function setup() {
  const calls: { options: SubscribeOptions; end: (error?: Error) => void }[] = [];
  const client: Pick<GlazeClient, 'subscribe'> = {
    subscribe: (_tableId, options) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ options, end: (error) => (error ? reject(error) : resolve()) });
      }),
  };
  const events: string[] = [];
  const ready: ReadyCause[] = [];
  const statuses: { status: ConnectionStatus; error?: string }[] = [];
  const feed = new TableFeed(client, 7, {
    onEvent: (event) => events.push(event.id === undefined ? event.event : `${event.event}@${event.id}`),
    onReady: (cause) => ready.push(cause),
    onStatus: (status, error) => statuses.push(error ? { status, error: error.message } : { status }),
  });
  feed.start();
  const last = () => calls[calls.length - 1] as (typeof calls)[number];
  const emit = (name: 'ready' | 'reset', call = last()) =>
    call.options.onEvent?.(
      name === 'ready'
        ? { event: 'ready', data: { tableId: 7, seq: 5 } }
        : { event: 'reset', data: { reason: 'slow' } },
    );
  return { feed, calls, last, emit, events, ready, statuses };
}

const tick = () => new Promise((resolve) => setTimeout(resolve));

describe('TableFeed', () => {
  it('says why each stream is ready: the first, the first after a reset, a resumed one', () => {
    const { emit, ready, statuses } = setup();
    emit('ready');
    emit('reset');
    expect(statuses.at(-1)).toEqual({ status: 'reconnecting' });
    emit('ready');
    emit('ready');
    expect(ready).toEqual(['first', 'reset', 'resumed']);
    expect(statuses.at(-1)).toEqual({ status: 'live' });
  });

  it('moves to a new row window with a new subscription resuming after the given seq', () => {
    const { feed, calls, last } = setup();
    expect(last().options).toMatchObject({ lastEventId: undefined, rows: undefined });
    feed.setWindow('1-100,205', 9);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.options.signal?.aborted).toBe(true);
    expect(last().options).toMatchObject({ lastEventId: 9, rows: '1-100,205' });
    feed.setWindow('1-100,205', 12); // the same window: the stream stays
    expect(calls).toHaveLength(2);
    expect(feed.window).toBe('1-100,205');
  });

  it('drops what a replaced subscription still hands over', () => {
    const { feed, calls, events } = setup();
    feed.setWindow('1-10', 3);
    const first = calls[0] as (typeof calls)[number];
    first.options.onChanges({ cells: [], runs: [], rows: [] }, 4);
    calls[1]?.options.onChanges({ cells: [], runs: [], rows: [] }, 5);
    expect(events).toEqual(['changes@5']);
  });

  it('is reconnecting while subscribe retries a drop, offline with the reason when it gives up', async () => {
    const { last, statuses } = setup();
    last().options.onDisconnect?.(new Error('socket hang up'));
    expect(statuses.at(-1)).toEqual({ status: 'reconnecting', error: 'socket hang up' });
    last().end(new GlazeError(400, 'validation_failed', 'must be row ids or ranges', 'rows'));
    await tick();
    expect(statuses.at(-1)).toEqual({ status: 'offline', error: 'rows: must be row ids or ranges' });
  });

  it('is deleted when the stream ends by itself, and says nothing once stopped', async () => {
    const deleted = setup();
    deleted.last().end();
    await tick();
    expect(deleted.statuses.at(-1)).toEqual({ status: 'deleted' });

    const stopped = setup();
    stopped.feed.stop();
    stopped.last().end();
    await tick();
    expect(stopped.statuses).toEqual([]);
  });
});
