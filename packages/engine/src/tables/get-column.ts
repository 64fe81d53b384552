import type { Pool, PoolClient } from '@glaze/db';
import { type ColumnInfo, columnFields } from './list-columns';

/** A column of this table, or undefined. */
export async function getColumn(
  db: Pool | PoolClient,
  tableId: number,
  columnId: number,
): Promise<ColumnInfo | undefined> {
  const { rows } = await db.query(`select ${columnFields} from columns where id = $1 and table_id = $2`, [
    columnId,
    tableId,
  ]);
  return rows[0] as ColumnInfo | undefined;
}
