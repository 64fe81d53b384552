import { type Pool, type PoolClient, withTransaction } from '@glaze/db';

/**
 * Runs `fn` in a transaction that first takes the table's advisory lock exclusively, in its own
 * statement: no claim or flush of the table (they hold it shared, through glaze_lock_table) is mid-way
 * while `fn` runs, and every statement in `fn` reads a snapshot taken after the lock, so counts read
 * there are not stale. For the rare edits (rows, columns); the hot paths share the lock.
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
