import type { RateLimitInfo } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { throttleNotice } from '../src/limits/throttle-notice';

const now = Date.parse('2026-11-30T12:00:00Z');
const limit = (provider: string, host: string | null, pausedUntil: string | null): RateLimitInfo => ({
  provider,
  host,
  pausedUntil,
  requestsPerSecond: null,
  learnedRequestsPerSecond: null,
  concurrency: null,
});

describe('the run panel says a provider is throttled', () => {
  it('while it or one of its hosts is paused, with the latest end and the hosts', () => {
    const notice = throttleNotice(
      [
        limit('http', 'b.example.com', '2026-11-30T12:00:05Z'),
        limit('http', 'a.example.com', '2026-11-30T12:00:09Z'),
        limit('http', null, null),
        limit('llm', null, '2026-11-30T12:01:00Z'),
      ],
      'http',
      now,
    );
    expect(notice).toEqual({ until: '2026-11-30T12:00:09Z', hosts: ['a.example.com', 'b.example.com'] });
    expect(throttleNotice([limit('llm', null, '2026-11-30T12:01:00Z')], 'llm', now)).toEqual({
      until: '2026-11-30T12:01:00Z',
      hosts: [],
    });
  });

  it('not when the pause is over, or another provider is the one paused', () => {
    expect(throttleNotice([limit('http', null, '2026-11-30T11:59:59Z')], 'http', now)).toBeUndefined();
    expect(throttleNotice([limit('llm', null, '2026-11-30T12:01:00Z')], 'http', now)).toBeUndefined();
    expect(throttleNotice([], 'http', now)).toBeUndefined();
  });
});
