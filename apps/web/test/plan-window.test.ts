import { describe, expect, it } from 'vitest';
import { planWindow, type WindowInput } from '../src/store/plan-window';

/** Pages of 10 rows, row ids 1000 + index; `loaded` pages, each requested at `issued[page]`. */
function input(
  over: Partial<WindowInput> & { loaded: number[]; issued?: Record<number, [number, boolean]> },
) {
  const { loaded, issued = {}, ...rest } = over;
  return {
    first: 0,
    last: 1,
    isLoaded: (page: number) => loaded.includes(page),
    rowIds: (page: number) => Array.from({ length: 10 }, (_, i) => 1000 + page * 10 + i),
    issuedSeq: (page: number) => issued[page]?.[0] ?? 0,
    issuedUnderCurrent: (page: number) => issued[page]?.[1] ?? false,
    subscribed: 'all' as const,
    lastSeq: 500,
    ...rest,
  };
}

describe('planWindow', () => {
  it('subscribes to the loaded pages the viewport wants, as id ranges, from the last seq', () => {
    const plan = planWindow(input({ loaded: [0, 1, 2] }));
    expect(plan).toEqual({ pages: [0, 1], rows: '1000-1019', after: 500, stale: [] });
  });

  it('leaves out pages not loaded yet', () => {
    expect(planWindow(input({ first: 3, last: 4, loaded: [3] })).rows).toBe('1030-1039');
    expect(planWindow(input({ first: 3, last: 4, loaded: [] })).pages).toEqual([]);
  });

  it('resumes from the request of a page that joins, so its changes since are replayed', () => {
    const plan = planWindow(
      input({ first: 1, last: 2, loaded: [1, 2], subscribed: new Set([1]), issued: { 2: [420, true] } }),
    );
    expect(plan.pages).toEqual([1, 2]);
    expect(plan.after).toBe(420);
    expect(plan.rows).toBe('1010-1029');
  });

  it('reads again a page loaded before the current window and never covered by it', () => {
    const plan = planWindow(
      input({
        first: 5,
        last: 6,
        loaded: [0, 1, 5, 6],
        subscribed: new Set([0, 1]),
        issued: { 5: [100, false], 6: [480, true] },
      }),
    );
    // page 5 was prefetched under an older window: REST again; page 6 joins; pages 0 and 1 leave.
    expect(plan.pages).toEqual([6]);
    expect(plan.after).toBe(480);
    expect(plan.stale.sort()).toEqual([0, 1, 5]);
  });

  it('keeps a covered page without replaying from its old request', () => {
    const plan = planWindow(
      input({ loaded: [0, 1], subscribed: new Set([0, 1]), issued: { 0: [3, false], 1: [4, false] } }),
    );
    expect(plan).toEqual({ pages: [0, 1], rows: '1000-1019', after: 500, stale: [] });
  });
});
