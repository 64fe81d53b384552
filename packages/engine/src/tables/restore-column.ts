import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { recordChange } from '../feed/record-change';
import { restoreTrashedCells } from '../trash/restore-trashed-cells';
import { type ColumnInfo, columnFields } from './list-columns';
import { withTableLock } from './with-table-lock';

/**
 * Brings a deleted column back from the trash with its id, name, config, place and cells (for every
 * live row): the inverse of `deleteColumn` for 24 hours. Undefined when the trash holds no such
 * column; a conflict when a column of that name was added since.
 */
export async function restoreColumn(
  pool: Pool,
  tableId: number,
  columnId: number,
): Promise<ColumnInfo | undefined> {
  return withTableLock(pool, tableId, async (client) => {
    const { rows: taken } = await client.query(
      `select t.name from column_trash t join columns c on c.table_id = t.table_id and c.name = t.name
       where t.id = $1 and t.table_id = $2`,
      [columnId, tableId],
    );
    if (taken[0])
      throw new AppError(
        'conflict',
        `a column named "${taken[0].name}" was added since; rename it to restore this one`,
        'name',
      );
    const { rows } = await client.query(
      `with back as (delete from column_trash where id = $1 and table_id = $2 returning *)
       insert into columns (id, table_id, name, kind, provider, config, position, created_at, updated_at)
       overriding system value
       select id, table_id, name, kind, provider, config, position, created_at, now() from back
       returning ${columnFields}`,
      [columnId, tableId],
    );
    if (!rows[0]) return undefined;
    await restoreTrashedCells(client, tableId, { columnId });
    await recordChange(client, tableId, 'schema');
    return rows[0] as ColumnInfo;
  });
}
