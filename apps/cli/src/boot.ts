import {
  ConfigError,
  createLogger,
  createPool,
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
  /** Where `pool` points, for messages (password removed). */
  databaseLabel: string;
  close(): Promise<void>;
}

export interface BootOptions {
  /** Apply pending migrations (start does; worker and enrich need a migrated database too). */
  migrate?: boolean;
  poolSize?: number;
  workerPoolSize?: number;
}

/**
 * Reads the environment once (fails fast naming the variable), connects to Postgres — the
 * embedded one in the data dir when no URL is set — and applies migrations.
 */
export async function boot(options: BootOptions = {}): Promise<Booted> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  let stopEmbedded = async () => {};
  let url = config.databaseUrl;
  let workerUrl = config.workerDatabaseUrl;
  if (!url || !workerUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    stopEmbedded = embedded.stop;
    url ??= embedded.url;
    workerUrl ??= embedded.url;
  }
  const pool = createPool({ connectionString: url, max: options.poolSize ?? 10, applicationName: 'glaze' });
  // Workers get pools of their own: asynchronous commits (see PoolOptions.synchronousCommit).
  const workerPool = createPool({
    connectionString: workerUrl,
    max: options.workerPoolSize ?? 10,
    applicationName: 'glaze-worker',
    synchronousCommit: false,
  });
  const closeAll = async () => {
    await workerPool.end();
    await pool.end();
    await stopEmbedded();
  };
  try {
    await pool.query('select 1');
  } catch (error) {
    await closeAll();
    throw new ConfigError(`cannot reach the database at ${redact(url)}: ${(error as Error).message}`);
  }
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
    databaseLabel: redact(url),
    close: closeAll,
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
