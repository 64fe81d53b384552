import { describe, expect, it } from 'vitest';
import { queryRowCount } from '../src/store/query-row-count';

describe('queryRowCount: the pages correct an estimated match count', () => {
  it('keeps the count while pages land inside it', () => {
    expect(queryRowCount(41_000, 0, 1_000, 1_000)).toBe(41_000);
    expect(queryRowCount(41_000, 20_000, 1_000, 1_000)).toBe(41_000);
  });

  it('ends the grid at a short page, above or below the estimate', () => {
    expect(queryRowCount(41_000, 40_000, 1_000, 12)).toBe(40_012);
    expect(queryRowCount(41_000, 0, 1_000, 7)).toBe(7);
    // A jump past the real end: nothing there, so the end is at most here; the pages before say more.
    expect(queryRowCount(41_000, 39_000, 1_000, 0)).toBe(39_000);
  });

  it('grows by one row when a full page reaches the estimated end, so the next page is asked for', () => {
    expect(queryRowCount(41_000, 40_000, 1_000, 1_000)).toBe(41_001);
    expect(queryRowCount(41_001, 41_000, 1_000, 0)).toBe(41_000);
  });
});
