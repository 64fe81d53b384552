import type { Column } from '@glaze/core';
import type { Pool } from '@glaze/db';

/** A column: the API's `Column`. */
export type ColumnInfo = Column;

export const columnFields = `id, table_id as "tableId", name, kind, provider, config, position`;

/** A table's columns in display order. */
export async function listColumns(pool: Pool, tableId: number): Promise<ColumnInfo[]> {
  const { rows } = await pool.query(
    `select ${columnFields} from columns where table_id = $1 order by position, id`,
    [tableId],
  );
  return rows as ColumnInfo[];
}
