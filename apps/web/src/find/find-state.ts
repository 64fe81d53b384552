import type { CellStatus, Filter } from '@glaze/core';
import type { RowQuery } from '../api/rows';

/** One removable chip of the filter bar; columns by id, so a rename keeps the filter. */
export type FindChip =
  | { column: number; op: 'status'; value: CellStatus[] }
  | { column: number; op: 'contains' | 'eq'; value: string }
  | { column: number; op: 'empty' };

export interface FindState {
  q: string;
  chips: FindChip[];
  sort?: { column: number; direction: 'asc' | 'desc' };
  /** Columns the grid does not show (a view's hidden columns). */
  hidden: number[];
  /** The saved view this state was opened from (it may have been changed since). */
  view?: number;
  /** A view's filter the chips cannot show (saved through the API): ANDed with them. */
  where?: Filter;
}

export const emptyFind: FindState = { q: '', chips: [], hidden: [] };

/** Chips (and a view's other filter) are ANDed; a blank search is no search. */
export function toRowQuery(state: FindState): RowQuery | undefined {
  const q = state.q.trim();
  const filters: Filter[] = state.where ? [...state.chips, state.where] : state.chips;
  const query: RowQuery = {
    ...(q ? { q } : {}),
    ...(filters.length === 1
      ? { filter: filters[0] }
      : filters.length > 1
        ? { filter: { and: filters } }
        : {}),
    ...(state.sort ? { sort: state.sort } : {}),
  };
  return Object.keys(query).length ? query : undefined;
}

/** True when rows are narrowed (search or filter), which is when "N of M rows" is shown. */
export const isNarrowed = (state: FindState) =>
  state.q.trim() !== '' || state.chips.length > 0 || state.where !== undefined;

/**
 * The state in the hash route's query part, so a reload or a shared link opens the same rows:
 * `#/tables/12?view=4&q=zurich&filter=[…]&sort=3:desc&hidden=5,6`. A link with `view` alone opens
 * that saved view as it was saved (see `viewToFind`); anything else is the state as it was left.
 */
export function readFindState(hash: string): FindState {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const state: FindState = { q: params.get('q') ?? '', chips: [], hidden: [] };
  const chips = parseJson(params.get('filter'));
  if (Array.isArray(chips)) state.chips = chips.filter(isChip);
  const where = parseJson(params.get('where'));
  if (where !== null && typeof where === 'object' && !Array.isArray(where)) state.where = where as Filter;
  const sort = /^(\d+):(asc|desc)$/.exec(params.get('sort') ?? '');
  if (sort) state.sort = { column: Number(sort[1]), direction: sort[2] as 'asc' | 'desc' };
  state.hidden = (params.get('hidden') ?? '')
    .split(',')
    .filter((id) => /^[1-9]\d{0,15}$/.test(id))
    .map(Number);
  const view = /^[1-9]\d{0,15}$/.exec(params.get('view') ?? '');
  if (view) state.view = Number(view[0]);
  return state;
}

/** True when the link carries a state of its own, not only a view to open. */
export function hasOwnState(hash: string): boolean {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  return [...params.keys()].some((key) => key !== 'view');
}

export function findHash(base: string, state: FindState): string {
  const params = new URLSearchParams();
  if (state.view !== undefined) params.set('view', String(state.view));
  if (state.q) params.set('q', state.q);
  if (state.chips.length) params.set('filter', JSON.stringify(state.chips));
  if (state.where) params.set('where', JSON.stringify(state.where));
  if (state.sort) params.set('sort', `${state.sort.column}:${state.sort.direction}`);
  if (state.hidden.length) params.set('hidden', state.hidden.join(','));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** A hand-edited link with broken JSON opens the table without that part. */
function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isChip(value: unknown): value is FindChip {
  if (value === null || typeof value !== 'object') return false;
  const chip = value as Record<string, unknown>;
  if (typeof chip.column !== 'number') return false;
  if (chip.op === 'empty') return true;
  if (chip.op === 'status') return Array.isArray(chip.value) && chip.value.length > 0;
  return (chip.op === 'contains' || chip.op === 'eq') && typeof chip.value === 'string' && chip.value !== '';
}
