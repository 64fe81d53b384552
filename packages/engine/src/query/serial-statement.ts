import { type Pool, type PoolClient, withTransaction } from '@glaze/db';

/**
 * What a statement a person waits on (a page of rows, a match count) runs without: parallel workers
 * and JIT. At a million rows the planner gives a page of 100 `status = error` rows a Gather Merge over
 * two workers; launching them cost more than they saved — p50 60-84 ms against 27-29 ms without them
 * (20 pages each way, 2 cores, load 8) — and on a busy machine the slowest of such pages took 430-775 ms,
 * the table line's filter p95. JIT's start-up alone was ~40 ms (ordered-probe.ts).
 */
const serial: Readonly<Record<string, string>> = { max_parallel_workers_per_gather: '0', jit: 'off' };

/**
 * Runs `work` in a transaction of its own whose statements are planned with `settings` on top of the
 * serial ones (`set_config(…, true)`: they end with the transaction, so this holds behind a
 * transaction pooler too).
 */
export function withSerialPlans<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  settings: Readonly<Record<string, string>> = {},
): Promise<T> {
  const all = Object.entries({ ...serial, ...settings });
  return withTransaction(pool, async (client) => {
    await client.query(
      `select ${all.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      all.flat(),
    );
    return work(client);
  });
}

/** One statement's rows, planned serially (see `withSerialPlans`). */
export async function serialRows<R>(
  pool: Pool,
  statement: { text: string; values: unknown[] },
  settings?: Readonly<Record<string, string>>,
): Promise<R[]> {
  return withSerialPlans(pool, async (client) => (await client.query(statement)).rows as R[], settings);
}
