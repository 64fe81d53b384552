import pg from 'pg';
import { ConnectionLimitPool } from './connection-limit-pool';

// bigint ids and counts fit in a JS number far beyond any table Glaze will hold (2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// and so do arrays of them (bigint[], oid 1016), which pg's default hands back as strings: a flush's
// closed chunk ids compared as numbers once missed every one (a close-chunk round trip per chunk).
type Parsed = string | null | Parsed[];
/** bigint[]'s type oid (pg.types.builtins lists scalar types only). */
const int8Array = 1016 as Parameters<typeof pg.types.getTypeParser>[0];
const toNumbers = (v: Parsed): unknown =>
  Array.isArray(v) ? v.map(toNumbers) : v === null ? null : Number(v);
const parseBigintArray = pg.types.getTypeParser(int8Array);
pg.types.setTypeParser(int8Array, (value) => toNumbers(parseBigintArray(value) as Parsed));

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
   * Set with a SET on each new connection, not the startup option `-c synchronous_commit=off`, which
   * PgBouncer refuses in every pool mode ("unsupported startup parameter: options"). Behind a
   * transaction pooler no SET is sent (it would stay on a server connection other clients get next):
   * the claim and the flush, the statements that NOTIFY, set it themselves (`set_config` in
   * claim-chunk.sql and flush-results.sql).
   */
  synchronousCommit?: boolean;
  /**
   * The URL reaches Postgres through a transaction-mode pooler (pgbouncer `pool_mode = transaction`,
   * Neon's `-pooler` host, Supabase's port 6543, RDS Proxy): two statements of one client may run on
   * two server connections. So every statement goes out unnamed (a name prepared on one server
   * connection is unknown on the next, or already taken there), and no session SET.
   */
  transactionPooler?: boolean;
  /**
   * `true` for worker connections: named statements are planned once, generically, from their first
   * execution (`plan_cache_mode = force_generic_plan`). By default Postgres plans a prepared statement
   * anew for its first five executions on each connection, and a run's flushes and claims spread over
   * a pool of ~10 connections: 58 flush plans per 100,000 cells, ~4 ms each. Their generic plans are
   * the ones Postgres settles on anyway (the key look-ups of `unnest`ed arrays). A session setting, so
   * not behind a transaction pooler, where every statement is unnamed and planned with its values.
   */
  genericPlans?: boolean;
  /**
   * How long a connection stays open unused (pg's default: 10 s). A long-running process keeps its
   * connections for minutes (`glaze start` and `glaze worker`: 5 minutes): with pg's 10 s, a run
   * started after a pause of 10 s or more found most of the pool closed, and each connection it
   * opened again paid the connect (several round trips: TCP, startup, authentication), a new
   * backend's empty caches and its statements' first planning. A 10-cell run whose workers are
   * 100 ms from the database took 0.43 s after 12 s of quiet against 0.23 s with the pool warm; on
   * the same machine 0.11 s against 0.03 s. TCP keepalive is on, so a firewall or NAT that drops idle
   * connections does not leave the pool holding dead ones unnoticed.
   */
  idleMs?: number;
  /**
   * Called when the database refused a new connection as full (`max_connections`) and the pool stays
   * at the `connections` it has for now, its queries waiting for them (connection-limit-pool.ts).
   */
  onCapped?: (connections: number) => void;
}

export function createPool({
  connectionString,
  max = 10,
  applicationName = 'glaze',
  synchronousCommit = true,
  transactionPooler = false,
  genericPlans = false,
  idleMs = 10_000,
  onCapped,
}: PoolOptions): Pool {
  const settings = [
    ...(synchronousCommit ? [] : ['set synchronous_commit = off']),
    ...(genericPlans ? ['set plan_cache_mode = force_generic_plan'] : []),
  ];
  const limit = onCapped ? { onCapped } : {};
  const pool = new ConnectionLimitPool(
    {
      connectionString,
      max,
      application_name: applicationName,
      // A database that accepts connections but never answers (hung, or packets dropped) would hold
      // a connect forever; 10 s (libpq's usual connect_timeout) turns it into an error callers handle.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: idleMs,
      keepAlive: true,
      ...(transactionPooler ? { Client: UnnamedStatementClient } : {}),
      // Runs once on each new connection before the pool hands it out; a failure fails that checkout.
      ...(settings.length === 0 || transactionPooler
        ? {}
        : {
            verify: (client: pg.PoolClient, done: (error?: Error) => void) => {
              client.query(settings.join('; ')).then(() => done(), done);
            },
          }),
    },
    limit,
  );
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Sends every query config without its `name`: pg then parses it as the unnamed statement, which
 * lives only until the next Parse on that server connection, so no pooler can hand it to the wrong one.
 * The SQL loaders keep their names for direct connections (parsed once per connection).
 */
class UnnamedStatementClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query has a dozen overloads; this forwards them all
  override query(config: any, ...rest: any[]): any {
    if (config && typeof config === 'object' && typeof config.submit !== 'function' && config.name) {
      const { name: _name, ...unnamed } = config;
      return super.query(unnamed, ...rest);
    }
    return super.query(config, ...rest);
  }
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
