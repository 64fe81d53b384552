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
  it('goes live on open and reconnects quietly while EventSource retries', () => {
    let state = nextConnection({ status: 'connecting', mustRefetch: false }, 'open');
    expect(state).toEqual({ status: 'live', mustRefetch: false });
    state = nextConnection(state, 'error-retrying');
    expect(state).toEqual({ status: 'reconnecting', mustRefetch: false });
  });

  it('marks a refetch due when the stream closed for good, kept until the next open', () => {
    let state = nextConnection({ status: 'live', mustRefetch: false }, 'error-closed');
    expect(state).toEqual({ status: 'offline', mustRefetch: true });
    state = nextConnection(state, 'retry');
    state = nextConnection(state, 'open');
    expect(state).toEqual({ status: 'live', mustRefetch: true });
  });

  it('backs off up to 30 s', () => {
    expect([0, 1, 2, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 30_000]);
  });
});
