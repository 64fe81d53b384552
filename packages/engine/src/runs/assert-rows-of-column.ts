import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';

/**
 * Refuses a run scope whose row ids are not all rows of the column's table (another table's rows,
 * deleted rows), naming them: a run over them would start with nothing to do and say nothing.
 * One statement; a column that does not exist is left for startRun to report.
 * @example await assertRowsOfColumn(pool, 7, [1, 2, 99]) // AppError 404 scope.rowIds: row 99 is not a row of …
 */
export async function assertRowsOfColumn(
  pool: Pool,
  columnId: number,
  rowIds: readonly number[],
): Promise<void> {
  await assertRowsOf(pool, { columnId }, rowIds);
}

/** The same check against a table: "run this row" over every column of a table names a row not in it. */
export async function assertRowsOfTable(
  pool: Pool,
  tableId: number,
  rowIds: readonly number[],
): Promise<void> {
  await assertRowsOf(pool, { tableId }, rowIds);
}

async function assertRowsOf(
  pool: Pool,
  owner: { columnId: number } | { tableId: number },
  rowIds: readonly number[],
): Promise<void> {
  if (rowIds.length === 0) return;
  const { rows } = await pool.query<{ tableId: string | null; missing: string[] }>(
    `select t.id as "tableId",
            array(select u.id from unnest($2::bigint[]) as u(id)
                  where not exists (select 1 from rows r where r.id = u.id and r.table_id = t.id)
                  order by u.id limit 21) as missing
     from tables t
     where t.id = coalesce($3::bigint, (select c.table_id from columns c where c.id = $1))`,
    ['columnId' in owner ? owner.columnId : null, rowIds, 'tableId' in owner ? owner.tableId : null],
  );
  const found = rows[0];
  if (!found || found.missing.length === 0) return;
  const shown = found.missing.slice(0, 20).join(', ') + (found.missing.length > 20 ? ', …' : '');
  const what = found.missing.length === 1 ? `row ${shown} is not a row` : `rows ${shown} are not rows`;
  throw new AppError('not_found', `${what} of table ${found.tableId}`, 'scope.rowIds');
}
