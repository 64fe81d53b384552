import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPool, migrate, type Pool, startEmbeddedPostgres } from '@glaze/db';
import pg from 'pg';

/** A Postgres for the benchmarks: `DATABASE_URL`'s server, or an embedded one in a temp dir, removed afterwards. */
export interface BenchCluster {
  adminUrl: string;
  /** The embedded cluster's data dir (its `postgres.log`), removed by `close()`; none on `DATABASE_URL`'s server. */
  dataDir?: string;
  /** A fresh migrated database; dropped by `close()`. */
  database(label: string): Promise<BenchDatabase>;
  close(): Promise<void>;
}

export interface BenchDatabase {
  /** Where the workers connect (through the latency proxy in far-database scenarios). */
  url: string;
  /** The workers' pool. */
  pool: Pool;
  /** A direct pool for setup, starting runs and watching them; `pool` when not given. */
  near?: Pool;
}

/** `settings`: extra `-c` settings for the embedded cluster (e.g. statement logging for a trace). */
export async function startBenchCluster(
  databaseUrl: string | undefined,
  settings?: Record<string, string>,
): Promise<BenchCluster> {
  let adminUrl = databaseUrl;
  let dataDir: string | undefined;
  let stopEmbedded = async () => {};
  if (!adminUrl) {
    await sweepAbandoned();
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    dataDir = dir;
    await chmod(dir, 0o755);
    await writeFile(path.join(dir, ownerFile), String(process.pid));
    // Same settings as the embedded default Glaze runs with: durable commits, as a user would have.
    const embedded = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', settings });
    adminUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const created: Array<{ name: string; pool: Pool }> = [];
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    dataDir,
    async database(label) {
      const name = `glaze_bench_${label}_${process.pid}_${created.length}`;
      await admin(`drop database if exists ${name} with (force)`);
      await admin(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      // pg's default idle timeout (10 s), not the 5 minutes `glaze start` keeps: every scenario's
      // pools stay until the bench ends, and kept connections of earlier scenarios' databases used
      // up the embedded Postgres's 200 (a later run's workers waited for a connection for 10 minutes).
      // The scenarios' runs follow each other within seconds, so none of them reconnects.
      const near = createPool({ connectionString: url.toString(), max: 20, applicationName: 'glaze-bench' });
      // Workers' connections as `glaze start` and `glaze worker` open them (asynchronous commits),
      // for Glaze and the per-cell baseline alike.
      const pool = createPool({
        connectionString: url.toString(),
        max: 20,
        applicationName: 'glaze-bench-worker',
        synchronousCommit: false,
        genericPlans: true,
      });
      created.push({ name, pool: near }, { name, pool });
      await migrate(near);
      return { url: url.toString(), pool, near };
    },
    async close() {
      for (const { pool } of created) await pool.end().catch(() => {});
      for (const name of new Set(created.map((c) => c.name))) {
        await admin(`drop database if exists ${name} with (force)`).catch(() => {});
      }
      await stopEmbedded();
    },
  };
}

const prefix = 'glaze-bench-';
const ownerFile = 'bench.pid';

/**
 * Stops and removes the embedded Postgres of a bench that was killed outright (SIGKILL, an OOM kill):
 * it could not stop its own, which runs on in a session of its own, holding memory and a port. A data
 * dir is abandoned when the bench process named in it no longer runs.
 */
async function sweepAbandoned(): Promise<void> {
  const entries = await readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const entry of entries.filter((name) => name.startsWith(prefix))) {
    const dir = path.join(os.tmpdir(), entry);
    const owner = Number(await readFile(path.join(dir, ownerFile), 'utf8').catch(() => ''));
    if (!Number.isInteger(owner) || owner <= 0 || running(owner)) continue;
    const postmaster = await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number(postmaster.split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && running(pid)) {
      process.kill(pid, 'SIGINT'); // fast shutdown
      for (let waited = 0; waited < 10_000 && running(pid); waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await rm(dir, { recursive: true, force: true });
    console.error(`… removed ${dir}, left by bench process ${owner} that no longer runs`);
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
