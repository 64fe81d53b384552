import type { Pool } from '@glaze/db';
import { durableRead } from './durable-read';

/**
 * The newest committed seq of a table's changes: where a stream opened without Last-Event-ID starts.
 * `glaze_table_seq` (migration 004) takes the table's lock exclusively, so no writer is mid-way below it;
 * durableRead keeps a crash from taking it back.
 */
export async function currentSeq(pool: Pool, tableId: number): Promise<number> {
  const { rows } = await pool.query(`select glaze_table_seq($1) as seq, ${durableRead}`, [tableId]);
  return Number(rows[0]?.seq ?? 0);
}
