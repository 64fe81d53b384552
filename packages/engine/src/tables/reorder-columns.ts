import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { recordChange } from '../feed/record-change';
import { type ColumnInfo, columnFields } from './list-columns';
import { withTableLock } from './with-table-lock';

/** Puts a table's columns in the given order; `columnIds` must name each of its columns once. */
export async function reorderColumns(
  pool: Pool,
  tableId: number,
  columnIds: readonly number[],
): Promise<ColumnInfo[]> {
  return withTableLock(pool, tableId, async (client) => {
    const { rows: current } = await client.query('select id from columns where table_id = $1', [tableId]);
    const known = new Set(current.map((c) => c.id as number));
    const given = new Set(columnIds);
    const unknown = columnIds.find((id) => !known.has(id));
    if (unknown !== undefined) {
      throw new AppError('validation_failed', `column ${unknown} is not a column of this table`, 'columnIds');
    }
    if (given.size !== columnIds.length || given.size !== known.size) {
      throw new AppError(
        'validation_failed',
        `must list each of the table's ${known.size} columns exactly once`,
        'columnIds',
      );
    }
    const { rows } = await client.query(
      `with moved as (
         update columns c set position = u.ord, updated_at = now()
         from unnest($2::bigint[]) with ordinality as u(column_id, ord)
         where c.id = u.column_id and c.table_id = $1
         returning ${columnFields}
       )
       select * from moved order by position`,
      [tableId, columnIds],
    );
    await recordChange(client, tableId, 'schema');
    return rows as ColumnInfo[];
  });
}
