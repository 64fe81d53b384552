import { describe, expect, it } from 'vitest';
import { quotaRate } from '../src/net/quota-rate';

describe('quotaRate', () => {
  it("bounds the rate by OpenAI's headers: 40 of 200 used, whole again in 200ms → about 200/s", () => {
    const rate = quotaRate(
      new Headers({
        'x-ratelimit-limit-requests': '200',
        'x-ratelimit-remaining-requests': '160',
        'x-ratelimit-reset-requests': '200ms',
      }),
    );
    expect(rate?.low).toBeCloseTo((39 * 1000) / 200.5, 5);
    expect(rate?.high).toBeCloseTo((41 * 1000) / 199.5, 5);
  });

  it('reads x-ratelimit-* and ratelimit-* with the reset in seconds, and 6m0s-style durations', () => {
    const plain = quotaRate(
      new Headers({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '30', 'x-ratelimit-reset': '30' }),
    );
    expect(plain!.low).toBeLessThan(1);
    expect(plain!.high).toBeGreaterThan(1);
    const ietf = quotaRate(
      new Headers({ 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '1.0' }),
    );
    expect(ietf!.low).toBeLessThan(10);
    expect(ietf!.high).toBeGreaterThan(10);
    const minutes = quotaRate(
      new Headers({
        'x-ratelimit-limit-requests': '3500',
        'x-ratelimit-remaining-requests': '3440',
        'x-ratelimit-reset-requests': '1m0s',
      }),
    );
    expect(minutes!.low).toBeLessThan(1);
    expect(minutes!.high).toBeGreaterThan(1);
  });

  it('says nothing when a header is missing, nothing is used, or the reset is a Unix time (a fixed window)', () => {
    expect(
      quotaRate(new Headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1' })),
    ).toBeUndefined();
    expect(
      quotaRate(
        new Headers({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '0' }),
      ),
    ).toBeUndefined();
    expect(
      quotaRate(
        new Headers({
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4990',
          'x-ratelimit-reset': '1780000000',
        }),
      ),
    ).toBeUndefined();
    expect(
      quotaRate(
        new Headers({ 'x-ratelimit-limit': 'many', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '1' }),
      ),
    ).toBeUndefined();
  });
});
