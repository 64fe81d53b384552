import type { Pool } from '@glaze/db';
import { withTableLock } from '../tables/with-table-lock';
import { restoreTrashedCells } from '../trash/restore-trashed-cells';

/**
 * Brings deleted rows back from the trash under their old ids and positions, with their cells (values,
 * errors, costs) wherever the cell's column is live: the inverse of `deleteRows` for 24 hours. Each
 * row and cell takes a new seq, so watchers load them as new rows. Ids not in the trash (never
 * deleted, restored already, or purged) are skipped; returns how many rows came back.
 */
export async function restoreRows(pool: Pool, tableId: number, rowIds: readonly number[]): Promise<number> {
  if (rowIds.length === 0) return 0;
  return withTableLock(pool, tableId, async (client) => {
    const { rows } = await client.query(
      `with lock as (select glaze_lock_table($1) as locked),
       back as (
         delete from row_trash t where t.table_id = $1 and t.id = any($2::bigint[])
         returning t.id, t.table_id, t.position, t.data, t.created_at
       ),
       inserted as (
         insert into rows (id, table_id, position, data, created_at, seq) overriding system value
         select id, table_id, position, data, created_at, nextval('glaze_seq') from back, lock where lock.locked
         returning seq
       ),
       notified as (select glaze_notify_table($1, max(seq)::text) from inserted having count(*) > 0)
       select (select count(*) from inserted)::int as restored, (select count(*) from notified) as notified`,
      [tableId, rowIds],
    );
    await restoreTrashedCells(client, tableId, { rowIds });
    return rows[0].restored as number;
  });
}
