import pg from 'pg';

// bigint ids and counts fit in a JS number far beyond any table Glaze will hold (2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  connectionString: string;
  max?: number;
  /** Shown in pg_stat_activity, so a stuck query names its owner. */
  applicationName?: string;
  /**
   * `false` for worker connections: a commit returns before its WAL is flushed. NOTIFY serialises
   * committing transactions on one lock, held through that flush, so durable commits made claims and
   * flushes queue behind each other. Safe by Glaze's invariants: a claim or result lost in a database
   * crash leaves its chunk to the lease sweeper and is fenced or re-run, never half-applied.
   */
  synchronousCommit?: boolean;
}

export function createPool({
  connectionString,
  max = 10,
  applicationName = 'glaze',
  synchronousCommit = true,
}: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: applicationName,
    // A database that accepts connections but never answers (hung, or packets dropped) would hold
    // a connect forever; 10 s (libpq's usual connect_timeout) turns it into an error callers handle.
    connectionTimeoutMillis: 10_000,
    ...(synchronousCommit ? {} : { options: '-c synchronous_commit=off' }),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Runs `fn` inside BEGIN/COMMIT, rolling back on any error. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
