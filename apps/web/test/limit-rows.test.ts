import { describe, expect, it } from 'vitest';
import { limitRows, parseLimit } from '../src/limits/limit-rows';

describe('provider limit rows', () => {
  it('lists every provider, with the limits the server has and none for the rest', () => {
    const rows = limitRows(
      ['mock', 'http'],
      [
        { provider: 'http', requestsPerSecond: 15, concurrency: 10, pausedUntil: null },
        { provider: 'gone', requestsPerSecond: 1, concurrency: null, pausedUntil: null },
      ],
    );
    expect(rows).toEqual([
      { provider: 'mock', requestsPerSecond: null, concurrency: null, pausedUntil: null },
      { provider: 'http', requestsPerSecond: 15, concurrency: 10, pausedUntil: null },
      { provider: 'gone', requestsPerSecond: 1, concurrency: null, pausedUntil: null },
    ]);
  });

  it('reads an empty field as no limit and a number as itself', () => {
    expect(parseLimit('requestsPerSecond', '  ')).toEqual({ value: null });
    expect(parseLimit('requestsPerSecond', '2.5')).toEqual({ value: 2.5 });
    expect(parseLimit('concurrency', ' 10 ')).toEqual({ value: 10 });
  });

  it('names the field when the text is not a number, instead of sending it as null', () => {
    expect(parseLimit('concurrency', 'ten')).toEqual({
      error: 'Concurrency (concurrency): "ten" is not a number; leave it empty for no limit',
    });
  });
});
