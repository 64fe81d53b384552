import type { View } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { emptyFind, type FindState, toRowQuery } from '../src/find/find-state';
import { changedSinceSaved, viewBody, viewToFind } from '../src/find/view-state';
import { moveShownColumn, shownColumns } from '../src/grid/shown-columns';

const columns = [
  { id: 1, name: 'name' },
  { id: 2, name: 'email' },
  { id: 3, name: 'city' },
  { id: 4, name: 'Echo' },
];
const view = (query: View['query'], hiddenColumnIds: number[] = []): View => ({
  id: 9,
  tableId: 1,
  name: 'Errors',
  query,
  hiddenColumnIds,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
});

describe('view state', () => {
  it('saves what the grid shows and opens it again as the same state', () => {
    const state: FindState = {
      q: ' zurich ',
      chips: [
        { column: 4, op: 'status', value: ['error'] },
        { column: 3, op: 'contains', value: 'zü' },
      ],
      sort: { column: 1, direction: 'desc' },
      hidden: [2],
    };
    const body = viewBody(state);
    expect(body).toEqual({
      query: { q: 'zurich', filter: { and: state.chips }, sort: state.sort },
      hiddenColumnIds: [2],
    });
    const opened = viewToFind(view(body.query as View['query'], body.hiddenColumnIds), columns);
    expect(opened).toEqual({ ...state, q: 'zurich', view: 9 });
    expect(changedSinceSaved(opened, view(body.query as View['query'], [2]), columns)).toBe(false);
  });

  it('marks the view changed when a chip, the sort or a hidden column differs', () => {
    const saved = view({ filter: { column: 4, op: 'status', value: ['error'] } }, [2, 3]);
    const opened = viewToFind(saved, columns);
    expect(changedSinceSaved({ ...opened, hidden: [3, 2] }, saved, columns)).toBe(false);
    expect(changedSinceSaved({ ...opened, hidden: [3] }, saved, columns)).toBe(true);
    expect(changedSinceSaved({ ...opened, sort: { column: 1, direction: 'asc' } }, saved, columns)).toBe(
      true,
    );
    expect(changedSinceSaved({ ...opened, chips: [] }, saved, columns)).toBe(true);
  });

  it('opens a view saved through the API: names become ids, what chips cannot show stays whole', () => {
    const numeric = { column: 'Score', op: 'gt', value: 10 } as const;
    const opened = viewToFind(
      view({
        filter: {
          and: [{ column: 'email', op: 'empty' }, numeric, { column: 'Echo', path: ['valid'], op: 'empty' }],
        },
        sort: { column: 'city', direction: 'asc' },
      }),
      columns,
    );
    expect(opened.chips).toEqual([{ column: 2, op: 'empty' }]);
    expect(opened.where).toEqual({ and: [numeric, { column: 'Echo', path: ['valid'], op: 'empty' }] });
    expect(opened.sort).toEqual({ column: 3, direction: 'asc' });
    // The rows asked for are the view's own: every condition is still ANDed in.
    expect(toRowQuery(opened)?.filter).toEqual({ and: [{ column: 2, op: 'empty' }, opened.where] });
    const or = { or: [{ column: 1, op: 'empty' as const }, numeric] };
    expect(viewToFind(view({ filter: or }), columns)).toMatchObject({ chips: [], where: or });
  });

  it('drops a sort the column menu cannot give (a path or a number sort)', () => {
    expect(
      viewToFind(view({ sort: { column: 'Echo', path: ['score'], direction: 'desc' } }), columns).sort,
    ).toBeUndefined();
    expect(viewToFind(view({}), columns)).toEqual({ ...emptyFind, view: 9 });
  });
});

describe('hidden columns in the grid', () => {
  it('leaves hidden columns out, in order', () => {
    expect(shownColumns(columns, [2, 4]).map((c) => c.id)).toEqual([1, 3]);
    expect(shownColumns(columns, [])).toEqual(columns);
  });

  it('moves a shown column among the shown ones; hidden ones keep their places', () => {
    const ids = (from: number, to: number, hidden = [2]) =>
      moveShownColumn(columns, hidden, from, to).map((c) => c.id);
    // shown: 1, 3, 4 (2 hidden)
    expect(ids(0, 2)).toEqual([2, 3, 4, 1]);
    expect(ids(2, 0)).toEqual([4, 1, 2, 3]);
    expect(ids(1, 2)).toEqual([1, 2, 4, 3]);
    expect(ids(1, 1)).toEqual([1, 2, 3, 4]);
    expect(ids(0, 3, [])).toEqual([2, 3, 4, 1]);
  });
});
