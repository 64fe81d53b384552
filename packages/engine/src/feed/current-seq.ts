import type { Pool } from '@glaze/db';

/**
 * The newest seq of a table's changes: where a stream opened without Last-Event-ID starts.
 * Four index-only look-ups on (table_id, seq).
 */
export async function currentSeq(pool: Pool, tableId: number): Promise<number> {
  const { rows } = await pool.query(
    `select greatest(
       (select max(seq) from cells where table_id = $1),
       (select max(seq) from runs where table_id = $1),
       (select max(seq) from rows where table_id = $1),
       (select max(seq) from table_changes where table_id = $1),
       0)::bigint as seq`,
    [tableId],
  );
  return Number(rows[0]?.seq ?? 0);
}
