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
 * The rows a compiled query selects (filter, search, sort), in its order, a page at a time through
 * one cursor: the query is planned and run once, not once per page at a growing offset, so a
 * million matching rows cost one scan (or one index walk) and memory stays at one page. The cursor
 * lives in a read-only transaction on its own connection, closed when the caller stops.
 */
export async function* queryPages(
  pool: Pool,
  compiled: CompiledQuery,
  pageSize: number,
): AsyncGenerator<PageRow[]> {
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error(`not a page size: ${pageSize}`);
  const client = await pool.connect();
  let open = false;
  try {
    await client.query('begin read only');
    open = true;
    await client.query({
      text: `declare glaze_export no scroll cursor for
             select r.id, r.position, r.data from ${compiled.from} where ${compiled.where} order by ${compiled.orderBy}`,
      values: compiled.params,
    });
    for (;;) {
      // pageSize is a checked integer: FETCH takes no parameter
      const { rows } = await client.query(`fetch ${pageSize} from glaze_export`);
      if (rows.length > 0) yield rows as PageRow[];
      if (rows.length < pageSize) break;
    }
    await client.query('commit');
    open = false;
  } finally {
    if (open) await client.query('rollback').catch(() => {});
    client.release();
  }
}
