import type { Row } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { cellColumns, largeValueJoin, toCellInfo } from '../feed/cell-fields';

/** A row as a page read gives it: id, position and input values by column id. */
export interface PageRow {
  id: number | string;
  position: number;
  data: Record<string, unknown> | null;
}

/**
 * The rows of one page with their enrichment cells, in the order given: one statement for the
 * whole page. `cell_states`: a queued cell whose chunk a worker holds reads as running. Naming the
 * table's columns lets the (column_id, row_id) key find the page's cells without a scan. A value
 * over 64 KB is left out (100 rows of a column reading 3 MB web pages were 300 MB of JSON).
 */
export async function withCells(pool: Pool, tableId: number, page: readonly PageRow[]): Promise<Row[]> {
  const byId = new Map<number, Row>(
    page.map((r) => [
      Number(r.id),
      { id: Number(r.id), position: r.position, values: r.data ?? {}, cells: {} },
    ]),
  );
  if (byId.size === 0) return [];
  const cells = await pool.query(
    `select ${cellColumns} from cell_states c ${largeValueJoin}
     where c.column_id in (select id from columns where table_id = $1) and c.row_id = any($2::bigint[])`,
    [tableId, [...byId.keys()]],
  );
  for (const raw of cells.rows) {
    const { rowId, columnId, ...cell } = toCellInfo(raw);
    const row = byId.get(rowId);
    if (row) row.cells[String(columnId)] = cell;
  }
  return [...byId.values()];
}
