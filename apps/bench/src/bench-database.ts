import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPool, migrate, type Pool, startEmbeddedPostgres } from '@glaze/db';
import pg from 'pg';

/** A Postgres for the benchmarks: `DATABASE_URL`'s server, or an embedded one in a temp dir, removed afterwards. */
export interface BenchCluster {
  adminUrl: string;
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

export async function startBenchCluster(databaseUrl: string | undefined): Promise<BenchCluster> {
  let adminUrl = databaseUrl;
  let stopEmbedded = async () => {};
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glaze-bench-'));
    await chmod(dataDir, 0o755);
    // Same settings as the embedded default Glaze runs with: durable commits, as a user would have.
    const embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
    adminUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
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
    async database(label) {
      const name = `glaze_bench_${label}_${process.pid}_${created.length}`;
      await admin(`drop database if exists ${name} with (force)`);
      await admin(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const near = createPool({ connectionString: url.toString(), max: 20, applicationName: 'glaze-bench' });
      // Workers' connections as `glaze start` and `glaze worker` open them (asynchronous commits),
      // for Glaze and the per-cell baseline alike.
      const pool = createPool({
        connectionString: url.toString(),
        max: 20,
        applicationName: 'glaze-bench-worker',
        synchronousCommit: false,
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
