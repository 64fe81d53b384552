import { operationRoutes } from '@glaze/client';
import { glaze, tablePath } from './client';
import { keyHeader, withRetryKey } from './retry-key';
import { type RowQuery, rowQueryParams } from './rows';

export const listTables = () => glaze.listTables();

/** Keyed: creating it again after an outage gets the table the first attempt created, not a second. */
export const createTable = (name: string, columns?: string[]) =>
  withRetryKey(`newTable:${JSON.stringify([name, columns])}`, (key) =>
    glaze.createTable({ params: keyHeader(key), body: { name, columns } }),
  );

export const getTable = (id: number, signal?: AbortSignal) =>
  glaze.getTable({ params: tablePath(id), signal });

export const renameTable = (id: number, name: string) =>
  glaze.renameTable({ params: tablePath(id), body: { name } });

export const deleteTable = (id: number) => glaze.deleteTable({ params: tablePath(id) });

/**
 * The CSV export (`exportTable`), a plain link rather than a call: the session cookie authenticates
 * it and the browser saves the CSV attachment the server answers with. `excel` adds a UTF-8
 * byte-order mark and CRLF line ends; `query` exports only the rows a search, filter and sort
 * select, in that order.
 */
export function exportUrl(id: number, options: { excel?: boolean; query?: RowQuery } = {}): string {
  const params = new URLSearchParams(options.query ? rowQueryParams(options.query) : {});
  if (options.excel) params.set('excel', 'true');
  const text = params.toString();
  const path = operationRoutes.exportTable.path.replace('{id}', String(id));
  return `${path}${text ? `?${text}` : ''}`;
}
