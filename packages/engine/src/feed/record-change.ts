import type { Pool, PoolClient } from '@glaze/db';

/**
 * Records a change that leaves no row behind (rows deleted, columns edited) and notifies the table's
 * watchers, by the feed's write rule (migration 017). Call it inside the transaction that made the change.
 */
export async function recordChange(
  db: Pool | PoolClient,
  tableId: number,
  kind: 'schema' | 'rowsDeleted',
  ids: readonly number[] = [],
): Promise<number> {
  const { rows } = await db.query(
    `with lock as (select glaze_lock_table($1) as locked),
     change as (
       insert into table_changes (table_id, kind, ids) select $1, $2, $3::bigint[] from lock where locked
       returning seq
     )
     select seq, glaze_notify_table($1, seq::text) as notified from change`,
    [tableId, kind, ids],
  );
  return Number(rows[0]?.seq);
}
