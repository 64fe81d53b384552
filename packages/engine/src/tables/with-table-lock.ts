import { type Pool, type PoolClient, withTransaction } from '@glaze/db';

/**
 * Runs `fn` in a transaction that first takes the table's advisory lock in its own statement, so
 * every statement in `fn` reads a snapshot taken after the lock: counts read there cannot be stale
 * against a flush that committed while this one waited, and seq values are taken in commit order.
 */
export function withTableLock<T>(
  pool: Pool,
  tableId: number,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(1, $1::int)', [tableId]);
    return fn(client);
  });
}
