import type { Pool } from '@glaze/db';
import type { CompiledQuery } from '../query/compile-query';
import { csvStatements } from './statements';

export interface PageRow {
  id: number | string;
  position: number;
  data: Record<string, unknown> | null;
}

/**
 * Every row of a table in (position, id) order, a page at a time, by keyset on rows_table_position:
 * each page is an index range scan however deep. One page is read ahead (a second connection), so
 * Postgres reads the next page while the caller writes this one.
 */
export async function* tablePages(pool: Pool, tableId: number, pageSize: number): AsyncGenerator<PageRow[]> {
  const read = async (after: { position: number; id: number }): Promise<PageRow[]> =>
    (await pool.query({ ...csvStatements.exportPage, values: [tableId, after.position, after.id, pageSize] }))
      .rows;
  let next = read({ position: Number.NEGATIVE_INFINITY, id: 0 });
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    const last = rows.at(-1) as PageRow;
    next =
      rows.length < pageSize ? Promise.resolve([]) : read({ position: last.position, id: Number(last.id) });
    // An unread rejection of `next` would be reported as unhandled if the caller stops first.
    next.catch(() => {});
    yield rows;
  }
}

/**
 * The rows a compiled query selects (filter, search, sort), in its order, a page at a time. One
 * statement finds the matching rows' ids in order (the query planned and run once, not once per
 * page at a growing offset), then each page reads its rows by id, one page read ahead as in
 * tablePages. No transaction stays open while the caller writes: a cursor held across a slow
 * download was ended by a database's `idle_in_transaction_session_timeout` (a 600,000-row sorted
 * export cut off after 10 s, with the timeout at 2 s), pinned a connection behind a pooler and held
 * back vacuum. The rows are those that matched when the export began, in that order; a row deleted
 * since is left out, one changed since is written as it is when its page is read. Memory: the ids
 * (8 bytes a row) and a page.
 */
export async function* queryPages(
  pool: Pool,
  compiled: CompiledQuery,
  pageSize: number,
): AsyncGenerator<PageRow[]> {
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error(`not a page size: ${pageSize}`);
  const { rows: found } = await pool.query<{ ids: string | null }>({
    // one text value, split here: a million ids as an array of rows (or of bigint strings) is ~20x the memory
    text: `select string_agg(r.id::text, ',' order by ${compiled.orderBy}) as ids
             from ${compiled.from} where ${compiled.where}`,
    values: compiled.params,
  });
  const ids = found[0]?.ids ? found[0].ids.split(',').map(Number) : [];
  const read = async (from: number): Promise<PageRow[]> =>
    (await pool.query({ ...csvStatements.exportRowsById, values: [ids.slice(from, from + pageSize)] })).rows;
  let next = ids.length > 0 ? read(0) : undefined;
  for (let from = 0; next; from += pageSize) {
    const rows = await next;
    // read ahead: the next page is on the wire while the caller writes this one
    next = from + pageSize < ids.length ? read(from + pageSize) : undefined;
    // An unread rejection of `next` would be reported as unhandled if the caller stops first.
    next?.catch(() => {});
    if (rows.length > 0) yield rows;
  }
}
