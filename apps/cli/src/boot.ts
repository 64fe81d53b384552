import {
  ConfigError,
  createLogger,
  createPool,
  detectTransactionPooler,
  type GlazeConfig,
  type Logger,
  loadConfig,
  migrate,
  type Pool,
  startEmbeddedPostgres,
} from '@glaze/db';

export interface Booted {
  config: GlazeConfig;
  logger: Logger;
  /** Pool for the server/CLI side (`DATABASE_URL`). */
  pool: Pool;
  /** Pool for workers (`WORKER_DATABASE_URL`, else `DATABASE_URL`), with asynchronous commits. */
  workerPool: Pool;
  /** `pool` goes through a transaction-mode pooler (detected at boot): LISTEN cannot work on it. */
  pooler: boolean;
  /** `workerPool` goes through a transaction-mode pooler (detected at boot): pass it to createWorker. */
  workerPooler: boolean;
  /**
   * Workers use the embedded Postgres. Then a database that is unreachable when they stop is being
   * stopped with them (Ctrl-C reaches the whole terminal's process group, Postgres included), so
   * waiting for it is pointless: pass `stopWaitMs: 0` to createWorker.
   */
  workerEmbedded: boolean;
  /** Where the server's realtime feed LISTENs: `LISTEN_DATABASE_URL`, else `pool`'s database. */
  listenUrl: string;
  /** Where `pool` points, for messages (password removed). */
  databaseLabel: string;
  /** Why the embedded Postgres `pool` uses is down and could not be started again; undefined otherwise. */
  diagnoseDatabase(): string | undefined;
  close(): Promise<void>;
}

export interface BootOptions {
  /** Apply pending migrations (start does; worker and enrich need a migrated database too). */
  migrate?: boolean;
  poolSize?: number;
  workerPoolSize?: number;
  /**
   * A process that runs until stopped (`start`, `worker`): its pools keep idle connections for
   * 5 minutes instead of 10 s, so a run after a pause does not reconnect (PoolOptions.idleMs).
   */
  longLived?: boolean;
}

/** How long `start`'s and `worker`'s pools keep a connection unused. */
const longLivedIdleMs = 5 * 60_000;

/**
 * Reads the environment once (fails fast naming the variable), connects to Postgres — the
 * embedded one in the data dir when no URL is set — and applies migrations.
 */
export async function boot(options: BootOptions = {}): Promise<Booted> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  let stopEmbedded = async () => {};
  let restartFailure = (): string | undefined => undefined;
  let url = config.databaseUrl;
  let workerUrl = config.workerDatabaseUrl;
  if (!url || !workerUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
    stopEmbedded = embedded.stop;
    if (!url) restartFailure = embedded.restartFailure;
    url ??= embedded.url;
    workerUrl ??= embedded.url;
  }
  // Each URL is probed once, both at once: a closed port or a bad password fails here naming the
  // variable, and a transaction pooler (NOTIFY never reaches a second connection) is found before
  // any pool sends it a named statement or a startup option it refuses.
  const mainVariable = config.databaseUrl ? 'DATABASE_URL' : 'the embedded Postgres';
  const workerVariable = config.env.WORKER_DATABASE_URL ? 'WORKER_DATABASE_URL' : mainVariable;
  const [pooler, workerPooler] = await Promise.all([
    config.databaseUrl ? probe('DATABASE_URL', url, config.pooler) : false,
    config.workerDatabaseUrl && workerUrl !== url
      ? probe(workerVariable, workerUrl, config.pooler)
      : undefined,
  ]).catch(async (error) => {
    await stopEmbedded();
    throw error;
  });
  const idleMs = options.longLived ? longLivedIdleMs : undefined;
  // A database at its max_connections: the pool keeps what it has and says so (once per 30 s at most).
  const capped = (pool: 'main' | 'worker', variable: string) => (connections: number) =>
    logger.warn(
      { database: variable, pool, connections },
      `the database refused a new connection (too many clients: its max_connections is reached); this process's ${pool} pool (${variable}) stays at ${connections} connection${connections === 1 ? '' : 's'} for now and its queries wait for them. Raise max_connections or put a pooler in front (docs/DEPLOY.md)`,
    );
  const pool = createPool({
    connectionString: url,
    max: options.poolSize ?? 10,
    applicationName: 'glaze',
    transactionPooler: pooler,
    idleMs,
    onCapped: capped('main', mainVariable),
  });
  // Workers get pools of their own: asynchronous commits (see PoolOptions.synchronousCommit).
  const workerPool = createPool({
    connectionString: workerUrl,
    max: options.workerPoolSize ?? 10,
    applicationName: 'glaze-worker',
    synchronousCommit: false,
    genericPlans: true,
    transactionPooler: workerPooler ?? pooler,
    idleMs,
    onCapped: capped('worker', workerVariable),
  });
  const closeAll = async () => {
    await workerPool.end();
    await pool.end();
    await stopEmbedded();
  };
  // The pools as configured: the worker pool sends a startup option the probe did not.
  for (const [variable, checked, checkedUrl] of [
    [mainVariable, pool, url],
    [workerVariable, workerPool, workerUrl],
  ] as const) {
    try {
      await checked.query('select 1');
    } catch (error) {
      await closeAll();
      throw unreachable(variable, checkedUrl, error);
    }
  }
  const behind = (variable: string) =>
    logger.info(
      `${variable} goes through a transaction pooler: unnamed statements, polling instead of LISTEN`,
    );
  if (pooler) behind('DATABASE_URL');
  if (workerPooler) behind(workerVariable);
  if (options.migrate ?? true) {
    try {
      const applied = await migrate(pool);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    } catch (error) {
      await closeAll();
      throw error;
    }
  }
  return {
    config,
    logger,
    pool,
    workerPool,
    pooler,
    workerPooler: workerPooler ?? pooler,
    workerEmbedded: !config.workerDatabaseUrl,
    listenUrl: config.listenDatabaseUrl ?? url,
    databaseLabel: redact(url),
    diagnoseDatabase() {
      const failure = restartFailure();
      return failure && `the embedded Postgres stopped and did not start again: ${failure}`;
    },
    close: closeAll,
  };
}

/**
 * Whether `url` goes through a transaction pooler (GLAZE_POOLER decides, else the probe); an
 * unreachable database is a ConfigError naming `variable`.
 */
async function probe(variable: string, url: string, pooler: GlazeConfig['pooler']): Promise<boolean> {
  if (pooler !== 'auto') return pooler === 'transaction';
  try {
    return await detectTransactionPooler(url);
  } catch (error) {
    throw unreachable(variable, url, error);
  }
}

/** One line: `WORKER_DATABASE_URL: cannot reach the database at postgres://…: connect ECONNREFUSED …`. */
function unreachable(variable: string, url: string, error: unknown): ConfigError {
  return new ConfigError(
    `${variable}: cannot reach the database at ${redact(url)}: ${(error as Error).message}${urlHint(error)}`,
  );
}

/** Node's codes for a server certificate it does not trust (its CA unknown, or self-signed). */
const untrustedCertificate =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED)$/;

/**
 * What to change in the URL when TLS is what failed (`sslmode` is read as libpq reads it: config.ts),
 * or when it names no user.
 */
function urlHint(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: string };
  if (typeof code === 'string' && untrustedCertificate.test(code))
    return " (the server's certificate is not trusted: add sslrootcert=/path/to/ca.pem, your host's CA certificate, to the URL; or use sslmode=require to encrypt without checking the certificate, as psql does)";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return ' (the certificate was issued for another host name: connect by that name, or use sslmode=verify-ca with sslrootcert to check the CA only)';
  if (message === 'The server does not support SSL connections')
    return ' (the URL asks for TLS with sslmode: drop it, or set sslmode=disable)';
  // no user in the URL and no USER variable (a container's environment): psql would use the OS user
  if (message?.includes('no PostgreSQL user name specified'))
    return ' (the URL names no user and the USER variable is not set: put one in the URL, postgres://user@host/db)';
  return '';
}

/** The URL without its password, its query readable (the embedded cluster's `?host=/…/postgres`). */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  const text = parsed.toString();
  return parsed.search ? text.replace(parsed.search, decodeURIComponent(parsed.search)) : text;
}
