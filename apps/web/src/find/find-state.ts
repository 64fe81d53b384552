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
}

export const emptyFind: FindState = { q: '', chips: [] };

/** Chips are ANDed; a blank search is no search. */
export function toRowQuery(state: FindState): RowQuery | undefined {
  const q = state.q.trim();
  const filters: Filter[] = state.chips;
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
export const isNarrowed = (state: FindState) => state.q.trim() !== '' || state.chips.length > 0;

/**
 * The state in the hash route's query part, so a reload or a shared link opens the same view:
 * `#/tables/12?q=zurich&filter=[…]&sort=3:desc`.
 */
export function readFindState(hash: string): FindState {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const state: FindState = { q: params.get('q') ?? '', chips: [] };
  try {
    const chips: unknown = JSON.parse(params.get('filter') ?? '[]');
    if (Array.isArray(chips)) state.chips = chips.filter(isChip);
  } catch {
    // A hand-edited link with a broken filter opens the table unfiltered.
  }
  const sort = /^(\d+):(asc|desc)$/.exec(params.get('sort') ?? '');
  if (sort) state.sort = { column: Number(sort[1]), direction: sort[2] as 'asc' | 'desc' };
  return state;
}

export function findHash(base: string, state: FindState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.chips.length) params.set('filter', JSON.stringify(state.chips));
  if (state.sort) params.set('sort', `${state.sort.column}:${state.sort.direction}`);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

function isChip(value: unknown): value is FindChip {
  if (value === null || typeof value !== 'object') return false;
  const chip = value as Record<string, unknown>;
  if (typeof chip.column !== 'number') return false;
  if (chip.op === 'empty') return true;
  if (chip.op === 'status') return Array.isArray(chip.value) && chip.value.length > 0;
  return (chip.op === 'contains' || chip.op === 'eq') && typeof chip.value === 'string' && chip.value !== '';
}
