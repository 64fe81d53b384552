import { describe, expect, it } from 'vitest';
import {
  emptyFind,
  type FindState,
  findHash,
  hasOwnState,
  readFindState,
  toRowQuery,
} from '../src/find/find-state';

const state: FindState = {
  q: 'zürich & co',
  chips: [
    { column: 5, op: 'status', value: ['error'] },
    { column: 2, op: 'contains', value: 'acme' },
  ],
  sort: { column: 1, direction: 'desc' },
  hidden: [],
};

describe('find state', () => {
  it('survives the hash route: a reload opens the same search, filter and sort', () => {
    const hash = findHash('#/tables/12', state);
    expect(hash.startsWith('#/tables/12?')).toBe(true);
    expect(readFindState(hash)).toEqual(state);
  });

  it('leaves the hash bare when nothing is asked', () => {
    expect(findHash('#/tables/12', emptyFind)).toBe('#/tables/12');
    expect(readFindState('#/tables/12')).toEqual(emptyFind);
  });

  it('drops a broken or hand-edited filter instead of failing to open the table', () => {
    expect(readFindState('#/tables/1?filter=%5Bnot-json&sort=3:sideways').chips).toEqual([]);
    expect(readFindState('#/tables/1?filter=[{"column":"x","op":"empty"}]').chips).toEqual([]);
    expect(readFindState('#/tables/1?sort=3:sideways').sort).toBeUndefined();
  });

  it('asks the rows API for chips ANDed, the trimmed search and the sort', () => {
    expect(toRowQuery(state)).toEqual({
      q: 'zürich & co',
      filter: { and: state.chips },
      sort: { column: 1, direction: 'desc' },
    });
    expect(toRowQuery({ ...emptyFind, q: '  ' })).toBeUndefined();
    expect(toRowQuery({ ...emptyFind, chips: [{ column: 3, op: 'empty' }] })).toEqual({
      filter: { column: 3, op: 'empty' },
    });
  });

  it('carries the open view, the hidden columns and a filter the chips cannot show', () => {
    const withView: FindState = {
      ...state,
      view: 7,
      hidden: [4, 9],
      where: {
        or: [
          { column: 'Score', op: 'gt', value: 3 },
          { column: 2, op: 'empty' },
        ],
      },
    };
    const hash = findHash('#/tables/12', withView);
    expect(readFindState(hash)).toEqual(withView);
    expect(hasOwnState(hash)).toBe(true);
    expect(toRowQuery(withView)?.filter).toEqual({ and: [...state.chips, withView.where] });
  });

  it('reads a link with the view alone as "open the view as saved"', () => {
    const hash = findHash('#/tables/12', { ...emptyFind, view: 7 });
    expect(hash).toBe('#/tables/12?view=7');
    expect(hasOwnState(hash)).toBe(false);
    expect(readFindState(hash)).toEqual({ ...emptyFind, view: 7 });
  });

  it('drops hand-edited hidden ids and view ids that are not ids', () => {
    expect(readFindState('#/tables/1?hidden=3,x,,-2,0,5&view=07')).toEqual({ ...emptyFind, hidden: [3, 5] });
    expect(readFindState('#/tables/1?where=[1]&view=abc').where).toBeUndefined();
  });
});
