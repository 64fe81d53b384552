import type { RateLimitInfo } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { limitRowKey, limitRows, parseLimit, withSavedRow } from '../src/limits/limit-rows';

const none = {
  requestsPerSecond: null,
  concurrency: null,
  learnedRequestsPerSecond: null,
  pausedUntil: null,
};
const limit = (provider: string, host: string | null, rps: number | null): RateLimitInfo => ({
  ...none,
  provider,
  host,
  requestsPerSecond: rps,
});

describe('provider limit rows', () => {
  it('lists every provider, with the limits the server has and none for the rest', () => {
    const rows = limitRows(['mock', 'http'], [limit('http', null, 15), limit('gone', null, 1)]);
    expect(rows).toEqual([limit('mock', null, null), limit('http', null, 15), limit('gone', null, 1)]);
  });

  it("puts a provider's host limits right after its own row, by host, even when it has no own limit", () => {
    const rows = limitRows(
      ['http', 'llm'],
      [limit('http', 'b.example.com', 2), limit('http', 'a.example.com', 1), limit('llm', null, 3)],
    );
    expect(rows.map(limitRowKey)).toEqual(['http', 'http on a.example.com', 'http on b.example.com', 'llm']);
  });

  it('replaces a saved row in place and adds a new host row after its provider', () => {
    const rows = limitRows(['http', 'llm'], []);
    const added = withSavedRow(rows, limit('http', 'api.example.com', null));
    expect(added.map(limitRowKey)).toEqual(['http', 'http on api.example.com', 'llm']);
    const saved = withSavedRow(added, limit('http', 'api.example.com', 5));
    expect(saved[1]).toEqual(limit('http', 'api.example.com', 5));
    expect(saved).toHaveLength(3);
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
