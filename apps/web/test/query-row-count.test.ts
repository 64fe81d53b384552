import { describe, expect, it } from 'vitest';
import { QueryRowTotal } from '../src/store/query-row-count';

describe('QueryRowTotal: the first page and the match count arrive apart', () => {
  it('shows one more row than a full first page until the count comes, then the count', () => {
    const total = new QueryRowTotal();
    total.reset();
    expect(total.page(0, 1_000, 1_000)).toBe(1_001);
    expect(total.count(325_299)).toBe(325_299);
    expect(total.page(1_000, 1_000, 1_000)).toBe(325_299);
  });

  it('takes the count first when it comes first', () => {
    const total = new QueryRowTotal();
    total.reset();
    expect(total.count(41_000)).toBe(41_000);
    expect(total.page(0, 1_000, 1_000)).toBe(41_000);
  });

  it('ends at a short page whatever an estimated count says, before or after it', () => {
    const total = new QueryRowTotal();
    total.reset();
    expect(total.page(0, 1_000, 7)).toBe(7);
    expect(total.count(14_400)).toBe(7);
    total.reset();
    expect(total.count(41_000)).toBe(41_000);
    expect(total.page(40_000, 1_000, 12)).toBe(40_012);
  });

  it('grows past an estimate the pages reach, and stops at the page that comes back short', () => {
    const total = new QueryRowTotal();
    total.reset();
    total.count(41_000);
    expect(total.page(40_000, 1_000, 1_000)).toBe(41_001);
    expect(total.page(41_000, 1_000, 1_000)).toBe(42_001);
    expect(total.page(42_000, 1_000, 0)).toBe(42_000);
  });

  it('goes back to the end of the pages after a jump past it', () => {
    const total = new QueryRowTotal();
    total.reset();
    total.count(41_000);
    expect(total.page(39_000, 1_000, 0)).toBe(39_000);
    expect(total.page(38_000, 1_000, 12)).toBe(38_012);
  });

  it('starts from a known count: a sort alone keeps the table its rows', () => {
    const total = new QueryRowTotal();
    total.reset(5_000);
    expect(total.total).toBe(5_000);
    expect(total.page(4_000, 1_000, 1_000)).toBe(5_001);
  });
});
