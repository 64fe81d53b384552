import type { CreateViewBody, Filter, View } from '@glaze/core';
import { type FindChip, type FindState, toRowQuery } from './find-state';

/**
 * A saved view as find state: each ANDed condition the filter bar can show becomes a chip (columns
 * by id; a name is looked up), the rest of the filter stays whole in `where`; a sort the column menu
 * can give (one column, no path) is kept.
 */
export function viewToFind(view: View, columns: readonly { id: number; name: string }[]): FindState {
  const idOf = (ref: number | string) =>
    typeof ref === 'number' ? ref : columns.find((column) => column.name === ref)?.id;
  const chips: FindChip[] = [];
  const rest: Filter[] = [];
  const filter = view.query.filter;
  const parts = filter === undefined ? [] : 'and' in filter ? filter.and : [filter];
  for (const part of parts) {
    const chip = toChip(part, idOf);
    if (chip) chips.push(chip);
    else rest.push(part);
  }
  const state: FindState = { q: view.query.q ?? '', chips, hidden: [...view.hiddenColumnIds], view: view.id };
  if (rest.length > 0) state.where = rest.length === 1 ? rest[0] : { and: rest };
  const sort = view.query.sort;
  const sortColumn = sort && !sort.path?.length && !sort.as ? idOf(sort.column) : undefined;
  if (sort && sortColumn !== undefined) state.sort = { column: sortColumn, direction: sort.direction };
  return state;
}

function toChip(part: Filter, idOf: (ref: number | string) => number | undefined): FindChip | undefined {
  if (!('op' in part) || ('path' in part && part.path?.length)) return undefined;
  const column = idOf(part.column);
  if (column === undefined) return undefined;
  if (part.op === 'status') return { column, op: 'status', value: part.value };
  if (part.op === 'empty') return { column, op: 'empty' };
  if ((part.op === 'contains' || part.op === 'eq') && typeof part.value === 'string' && part.value !== '')
    return { column, op: part.op, value: part.value };
  return undefined;
}

/** What the views API stores for the state: its row query (search, filter, sort) and hidden columns. */
export function viewBody(state: FindState): Required<Omit<CreateViewBody, 'name'>> {
  const query = toRowQuery(state) ?? {};
  return { query, hiddenColumnIds: [...state.hidden] };
}

/** True when the state is no longer what its view saved (the menu marks the view as changed). */
export function changedSinceSaved(
  state: FindState,
  view: View,
  columns: readonly { id: number; name: string }[],
): boolean {
  const key = (s: FindState) =>
    JSON.stringify({ query: toRowQuery(s) ?? {}, hidden: [...s.hidden].sort((a, b) => a - b) });
  return key(state) !== key(viewToFind(view, columns));
}
