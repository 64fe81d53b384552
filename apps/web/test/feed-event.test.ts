import { describe, expect, it } from 'vitest';
import { nextConnection, retryDelay } from '../src/realtime/connection-state';
import { maxRefetch, parseFeedMessage } from '../src/realtime/feed-event';

describe('parseFeedMessage', () => {
  it('reads a changes event and takes its seq from the SSE id', () => {
    const event = parseFeedMessage('changes', JSON.stringify({ cells: [], runs: [], rows: [] }), '42');
    expect(event).toEqual({ type: 'changes', cells: [], runs: [], rows: [], seq: 42 });
  });

  it('leaves seq undefined without an id and ignores unknown events', () => {
    expect(parseFeedMessage('changes', '{}', '')).toEqual({ type: 'changes', seq: undefined });
    expect(parseFeedMessage('hello', '{}', '1')).toBeUndefined();
  });

  it('reads ready with the seq the server subscribed from', () => {
    expect(parseFeedMessage('ready', '{"tableId":1,"seq":77}', '77')).toEqual({ type: 'ready', seq: 77 });
  });

  it('reads reset, schema and rowsDeleted', () => {
    expect(parseFeedMessage('reset', '', '')).toEqual({ type: 'reset' });
    expect(parseFeedMessage('schema', '{}', '')).toEqual({ type: 'schema' });
    expect(parseFeedMessage('rowsDeleted', '{"ids":[3]}', '')).toEqual({ type: 'rowsDeleted', ids: [3] });
  });

  it('combines refetch needs by their reach', () => {
    expect(maxRefetch('rows', 'schema')).toBe('schema');
    expect(maxRefetch('all', 'rows')).toBe('all');
    expect(maxRefetch('none', 'none')).toBe('none');
  });
});

describe('connection state', () => {
  it('goes live on ready and reconnects quietly while EventSource retries', () => {
    let state = nextConnection({ status: 'connecting', mustRefetch: false }, 'ready');
    expect(state).toEqual({ status: 'live', mustRefetch: false });
    state = nextConnection(state, 'error-retrying');
    expect(state).toEqual({ status: 'reconnecting', mustRefetch: false });
  });

  it('shows offline when EventSource gives up; resuming with ?after needs no refetch', () => {
    let state = nextConnection({ status: 'live', mustRefetch: false }, 'error-closed');
    expect(state).toEqual({ status: 'offline', mustRefetch: false });
    state = nextConnection(state, 'retry');
    expect(nextConnection(state, 'ready')).toEqual({ status: 'live', mustRefetch: false });
  });

  it('after a reset, keeps the refetch due until the fresh stream is ready', () => {
    let state = nextConnection({ status: 'live', mustRefetch: false }, 'reset');
    expect(state).toEqual({ status: 'reconnecting', mustRefetch: true });
    state = nextConnection(state, 'error-retrying');
    expect(nextConnection(state, 'ready')).toEqual({ status: 'live', mustRefetch: true });
  });

  it('backs off up to 30 s', () => {
    expect([0, 1, 2, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 30_000]);
  });
});
