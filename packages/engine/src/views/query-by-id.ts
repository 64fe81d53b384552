import type { Filter, ViewQuery } from '@glaze/core';
import { type QueryColumn, resolveColumn } from '../query/resolve-column';

/**
 * A view's query with every column named by id (and an enrichment column's dotted name split into
 * id + path), so renaming a column keeps the view: `{column: "Email check.valid"}` is stored as
 * `{column: 7, path: ["valid"]}`. Call it on a query `compileQuery` has accepted: every name resolves.
 */
export function queryById(query: ViewQuery, columns: readonly QueryColumn[]): ViewQuery {
  const out: ViewQuery = { ...query };
  if (query.filter) out.filter = filterById(query.filter, columns);
  if (query.sort) out.sort = { ...query.sort, ...ref(query.sort.column, query.sort.path, columns) };
  return out;
}

function filterById(filter: Filter, columns: readonly QueryColumn[]): Filter {
  if ('and' in filter) return { and: filter.and.map((f) => filterById(f, columns)) };
  if ('or' in filter) return { or: filter.or.map((f) => filterById(f, columns)) };
  if ('not' in filter) return { not: filterById(filter.not, columns) };
  return { ...filter, ...ref(filter.column, 'path' in filter ? filter.path : undefined, columns) } as Filter;
}

function ref(column: number | string, path: readonly string[] | undefined, columns: readonly QueryColumn[]) {
  const resolved = resolveColumn(columns, column, path, '');
  return resolved.kind === 'cell' && resolved.path.length > 0
    ? { column: resolved.id, path: [...resolved.path] }
    : { column: resolved.id };
}
