import { AppError, type Cell, type Row, type RowPage } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { withCells } from './with-cells';

/** A cell as a row page shows it (its row and column are the keys around it): the API's `Cell`. */
export type RowCell = Cell;
/** A row with its cells: the API's `Row`. */
export type RowWithCells = Row;
export type { RowPage };

/**
 * One page of a table's rows in (position, id) order with their cells: two index range reads,
 * whatever the page size. The cursor is the last row's (position, id), so pages stay stable while
 * rows are added or deleted elsewhere.
 */
export async function readRows(
  pool: Pool,
  input: { tableId: number; limit?: number; cursor?: string | null },
): Promise<RowPage> {
  const limit = input.limit ?? 100;
  const [position, id] = input.cursor ? decodeCursor(input.cursor) : [Number.NEGATIVE_INFINITY, 0];
  const { rows } = await pool.query(
    `select id, position, data from rows
     where table_id = $1 and (position, id) > ($2::float8, $3::bigint)
     order by position, id limit $4`,
    [input.tableId, position, id, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: await withCells(pool, input.tableId, page),
    nextCursor: rows.length > limit && last ? encodeCursor(last.position, last.id) : null,
  };
}

function encodeCursor(position: number, id: number): string {
  return Buffer.from(JSON.stringify([position, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      Number.isFinite(value[0]) &&
      // The id is compared with a bigint column: 1.5 or 1e300 would be a database error, not a page.
      Number.isSafeInteger(value[1]) &&
      value[1] >= 0
    ) {
      return [value[0], value[1]];
    }
  } catch {}
  throw new AppError('validation_failed', 'is not a cursor this API returned', 'cursor');
}
