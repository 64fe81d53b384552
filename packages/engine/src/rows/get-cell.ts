import { type CellChange, notFound } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { toCellInfo, wholeCellColumns } from '../feed/cell-fields';

/**
 * One cell of a table with its value whole, however large: row pages and the change feed leave out
 * values over 64 KB (`largeValueBytes`), and this is where a viewer opens one. `cell_states`: a queued
 * cell whose chunk a worker holds reads as running.
 */
export async function getCell(pool: Pool, tableId: number, cellId: number): Promise<CellChange> {
  const { rows } = await pool.query(
    `select ${wholeCellColumns} from cell_states c where c.id = $1 and c.table_id = $2`,
    [cellId, tableId],
  );
  if (!rows[0]) throw notFound('cell', cellId);
  return toCellInfo(rows[0]);
}
