import { describe, expect, it } from 'vitest';
import { quotaRate } from '../src/net/quota-rate';

describe('quotaRate', () => {
  const openai = (limit: string, remaining: string, reset: string) =>
    quotaRate(
      new Headers({
        'x-ratelimit-limit-requests': limit,
        'x-ratelimit-remaining-requests': remaining,
        'x-ratelimit-reset-requests': reset,
      }),
    );

  it("bounds the rate by OpenAI's headers: 40 of 200 used, whole again in 200ms → about 200/s", () => {
    const rate = openai('200', '160', '200ms');
    expect(rate?.low).toBeCloseTo((39 * 1000) / 200.5, 5);
    expect(rate?.high).toBeCloseTo((41 * 1000) / 199.5, 5);
  });

  it('reads the reset as a duration (1m0s) or in seconds', () => {
    const minutes = openai('3500', '3440', '1m0s');
    expect(minutes?.low).toBeLessThan(1);
    expect(minutes?.high).toBeGreaterThan(1);
    const seconds = openai('10', '0', '1.0');
    expect(seconds?.low).toBeLessThan(10);
    expect(seconds?.high).toBeGreaterThan(10);
  });

  it('reads no rate from fixed-window headers (x-ratelimit-* unsuffixed, ratelimit-*): used / reset is not their rate', () => {
    // One call into a window of 60 a minute, 59 s before it ends: read as a rate, one call a minute.
    expect(
      quotaRate(
        new Headers({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '59' }),
      ),
    ).toBeUndefined();
    expect(
      quotaRate(
        new Headers({ 'ratelimit-limit': '60', 'ratelimit-remaining': '59', 'ratelimit-reset': '59' }),
      ),
    ).toBeUndefined();
  });

  it('says nothing when a header is missing, nothing is used, or a count is not a number', () => {
    expect(
      quotaRate(new Headers({ 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': '1s' })),
    ).toBeUndefined();
    expect(openai('5', '5', '0s')).toBeUndefined();
    expect(openai('many', '4', '1s')).toBeUndefined();
    expect(openai('5', '4', 'soon')).toBeUndefined();
  });
});
