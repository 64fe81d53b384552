import type { Pool, PoolClient } from '@glaze/db';

/**
 * Records a change that leaves no row behind (rows deleted, columns edited) and notifies the table's
 * watchers. The seq is taken under the table's advisory lock (shared, like every writer's; the feed
 * takes it exclusively), so the feed never reads past it uncommitted. Call it inside the transaction
 * that made the change.
 */
export async function recordChange(
  db: Pool | PoolClient,
  tableId: number,
  kind: 'schema' | 'rowsDeleted',
  ids: readonly number[] = [],
): Promise<number> {
  const { rows } = await db.query(
    `with lock as (select pg_advisory_xact_lock_shared(1, $1::int) is not null as locked),
     change as (
       insert into table_changes (table_id, kind, ids) select $1, $2, $3::bigint[] from lock where locked
       returning seq
     )
     select seq, pg_notify('glaze_table_' || $1, seq::text) is not null as notified from change`,
    [tableId, kind, ids],
  );
  return Number(rows[0]?.seq);
}
