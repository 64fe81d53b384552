import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';
import { createPool, type Pool } from './pool';

/**
 * Test databases: one migrated template per migration set, cloned per test file with
 * `CREATE DATABASE … TEMPLATE` (≈30 ms), so tests never share state and never mock Postgres.
 */
export interface TestCluster {
  /** URL of the maintenance database, used to create and drop test databases. */
  adminUrl: string;
  templateName: string;
  stop(): Promise<void>;
}

/**
 * For vitest's globalSetup: `DATABASE_URL` if set, else an embedded Postgres of this test run's own
 * (in a temporary directory, removed afterwards), so parallel test runs never stop each other's cluster.
 */
export async function startTestCluster(): Promise<TestCluster> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glaze-test-'));
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir,
      database: 'postgres',
      // A throwaway cluster: durability buys nothing here and costs seconds.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    adminUrl = embedded.url;
    stop = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const templateName = `glaze_template_${await migrationsHash()}`;
  try {
    await ensureTemplate(adminUrl, templateName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl, templateName, stop };
}

async function ensureTemplate(adminUrl: string, templateName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7461637)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [templateName]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${templateName}`);
      const pool = createPool({ connectionString: withDatabase(adminUrl, templateName), max: 2 });
      try {
        await migrate(pool);
      } catch (error) {
        await pool.end();
        await admin.query(`drop database ${templateName}`);
        throw error;
      }
      await pool.end();
    }
    await admin.query('select pg_advisory_unlock(7461637)');
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  url: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(adminUrl: string, templateName: string): Promise<TestDatabase> {
  const name = `glaze_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templateName}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const pool = createPool({ connectionString: url, max: 10 });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function migrationsHash(): Promise<string> {
  const dir = new URL('../migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).sort())
    hash.update(name).update(await readFile(new URL(name, dir)));
  return hash.digest('hex').slice(0, 12);
}

export { type Pgbouncer, pgbouncerBinary, startPgbouncer } from './pgbouncer';
export {
  type StoppableCluster,
  type StoppableClusterOptions,
  startStoppableCluster,
} from './stoppable-cluster';
