import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionStatus } from '../src/realtime/connection-state';
import { type EventSourceLike, FeedConnection } from '../src/realtime/feed-connection';
import type { Refetch } from '../src/realtime/feed-event';
import { TableStore } from '../src/store/table-store';
import { change, row } from './helpers';

/** A stand-in for the browser's EventSource that the test feeds frames by hand. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown, id = '') {
    this.readyState = 1;
    const event = { type, data: JSON.stringify(data), lastEventId: id } as unknown as Event;
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.({} as Event);
  }
}

function setup() {
  const store = new TableStore(1);
  store.setPage(0, [row(1), row(2)]);
  const sources: FakeSource[] = [];
  const statuses: ConnectionStatus[] = [];
  const refetches: Refetch[] = [];
  const onTableDeleted = vi.fn();
  const connection = new FeedConnection(
    '/api/v1/tables/1/events',
    () => ({
      store,
      onTouched: () => {},
      onRefetch: (what) => refetches.push(what),
      onStatus: (status) => statuses.push(status),
      onTableDeleted,
    }),
    (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
  );
  connection.start();
  const last = () => sources[sources.length - 1] as FakeSource;
  return { store, sources, statuses, refetches, onTableDeleted, connection, last };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FeedConnection', () => {
  it('follows a new row window with a new stream resuming after the given seq, and keeps it on reconnect', () => {
    const { sources, connection, last } = setup();
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    connection.setWindow('1-100,205', 5);
    expect(sources[0]?.closed).toBe(true);
    expect(last().url).toBe('/api/v1/tables/1/events?after=5&rows=1-100%2C205');
    connection.setWindow('1-100,205', 9); // the same window: no new stream
    expect(sources).toHaveLength(2);
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    last().emit('reset', { reason: 'slow' });
    expect(last().url).toBe('/api/v1/tables/1/events?rows=1-100%2C205');
  });

  it('applies progress frames by seq without moving the resume position', () => {
    const { store, last } = setup();
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    last().emit('progress', { runs: [], cells: [change(1, 9, 40, 'queued')] });
    expect(store.cell(1, 9)).toMatchObject({ status: 'queued', seq: 40 });
    expect(store.lastSeq).toBe(5);
    last().emit('changes', { cells: [change(1, 9, 40, 'queued')], runs: [], rows: [] }, '41');
    expect(store.lastSeq).toBe(41);
  });

  it('resumes on the same EventSource after a drop: replayed changes apply once, no refetch', () => {
    const { store, sources, statuses, refetches, last } = setup();
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    last().emit('changes', { cells: [change(1, 9, 6, 'running')], runs: [], rows: [] }, '6');
    last().fail(0); // EventSource reconnects by itself, sending Last-Event-ID: 6
    expect(statuses.at(-1)).toBe('reconnecting');
    last().emit('ready', { tableId: 1, seq: 6 }, '6');
    last().emit(
      'changes',
      { cells: [change(1, 9, 6, 'running'), change(1, 9, 7, 'done', 'v')], runs: [], rows: [] },
      '7',
    );
    expect(store.cell(1, 9)).toMatchObject({ status: 'done', value: 'v', seq: 7 });
    expect(sources).toHaveLength(1);
    expect(refetches).toEqual([]);
    expect(statuses.at(-1)).toBe('live');
  });

  it('reopens with ?after=<last seq> when EventSource gives up, without reloading', () => {
    vi.useFakeTimers();
    const { sources, statuses, refetches, last } = setup();
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    last().emit('changes', { cells: [change(2, 9, 8, 'done', 'x')], runs: [], rows: [] }, '8');
    last().fail(2);
    expect(statuses.at(-1)).toBe('offline');
    vi.advanceTimersByTime(1000);
    expect(sources).toHaveLength(2);
    expect(last().url).toBe('/api/v1/tables/1/events?after=8');
    last().emit('ready', { tableId: 1, seq: 8 }, '8');
    expect(statuses.at(-1)).toBe('live');
    expect(refetches).toEqual([]);
  });

  it('keeps reopening from the last seq while the server answers 503 (a database outage), without reloading', () => {
    vi.useFakeTimers();
    const { sources, statuses, refetches, last } = setup();
    last().emit('ready', { tableId: 1, seq: 5 }, '5');
    last().emit('changes', { cells: [change(2, 9, 8, 'done', 'x')], runs: [], rows: [] }, '8');
    last().fail(2); // the stream dropped and EventSource's own reconnect was refused: it gives up
    for (const wait of [1000, 2000, 4000]) {
      vi.advanceTimersByTime(wait - 1);
      const before = sources.length;
      vi.advanceTimersByTime(1);
      expect(sources).toHaveLength(before + 1);
      expect(last().url).toBe('/api/v1/tables/1/events?after=8');
      if (wait < 4000) last().fail(2); // 503 again: the database is still away
    }
    expect(statuses.at(-1)).toBe('reconnecting');
    last().emit('ready', { tableId: 1, seq: 8 }, '8');
    last().emit('changes', { cells: [change(2, 9, 12, 'done', 'y')], runs: [], rows: [] }, '12');
    expect(statuses.at(-1)).toBe('live');
    expect(refetches).toEqual([]);
    // Back to a 1 s first retry after the next drop: the failures were forgotten on `ready`.
    last().fail(2);
    vi.advanceTimersByTime(1000);
    expect(last().url).toBe('/api/v1/tables/1/events?after=12');
  });

  it('on reset opens a fresh stream and reloads from REST once it is ready', () => {
    const { sources, refetches, last } = setup();
    const first = last();
    first.emit('ready', { tableId: 1, seq: 5 }, '5');
    first.emit('reset', { reason: 'slow' });
    expect(first.closed).toBe(true);
    expect(sources).toHaveLength(2);
    expect(last().url).toBe('/api/v1/tables/1/events');
    expect(refetches).toEqual([]);
    last().emit('ready', { tableId: 1, seq: 90 }, '90');
    expect(refetches).toEqual(['all']);
  });

  it('ignores frames from a stream it has replaced', () => {
    const { store, last } = setup();
    const first = last();
    first.emit('reset', { reason: 'slow' });
    first.emit('changes', { cells: [change(1, 9, 50, 'done', 'late')], runs: [], rows: [] }, '50');
    expect(store.cell(1, 9)).toBeUndefined();
  });

  it('closes the stream and says so when the table is deleted', () => {
    const { onTableDeleted, last } = setup();
    last().emit('tableDeleted', { tableId: 1 });
    expect(last().closed).toBe(true);
    expect(onTableDeleted).toHaveBeenCalledOnce();
  });

  it('asks for a schema reload on a schema frame and stops cleanly', () => {
    const { refetches, connection, last } = setup();
    last().emit('schema', { tableId: 1 });
    expect(refetches).toEqual(['schema']);
    connection.stop();
    expect(last().closed).toBe(true);
  });
});
