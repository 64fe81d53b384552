import { AppError, type RowQueryInput, type SortInput } from '@glaze/core';

/** The query-string form of a row query, as `GET /tables/:id/rows` takes it. */
export interface RowQueryParams {
  filter?: string;
  sort?: string;
  q?: string;
  offset?: number;
  limit: number;
}

/**
 * `filter` is JSON (the filter language); `sort` is JSON or the short form `Column[:asc|desc][:text|number|date]`
 * (`Email check.valid:desc`, `Score:asc:number`); `q` is searched for; `offset` jumps.
 */
export function parseRowQueryParams(params: RowQueryParams): RowQueryInput {
  const query: RowQueryInput = { limit: params.limit, offset: params.offset ?? 0 };
  if (params.filter !== undefined)
    query.filter = parseJson(params.filter, 'filter') as RowQueryInput['filter'];
  if (params.sort !== undefined) query.sort = parseSort(params.sort);
  if (params.q !== undefined) query.q = params.q;
  return query;
}

function parseSort(text: string): SortInput {
  if (text.trimStart().startsWith('{')) return parseJson(text, 'sort') as SortInput;
  const parts = text.split(':');
  const sort: SortInput = { column: '' };
  while (parts.length > 1) {
    const last = (parts[parts.length - 1] as string).toLowerCase();
    if (last === 'asc' || last === 'desc') sort.direction = last;
    else if (last === 'text' || last === 'number' || last === 'date') sort.as = last;
    else break;
    parts.pop();
  }
  sort.column = parts.join(':');
  return sort;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'is not JSON', field);
  }
}
