import { readdir, readFile } from 'node:fs/promises';
import { Logger as GraphileLogger, runMigrations } from 'graphile-worker';
import type { Pool } from './pool';

const migrationsDir = new URL('../migrations/', import.meta.url);

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Numbered SQL files, in order. */
async function migrationFiles(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((name) => /^\d{3}_.+\.sql$/.test(name)).sort();
}

/** Advisory lock key of Glaze's migrations. */
const migrationLock = 7461636;

/**
 * Applies pending migrations, each in its own transaction, so two processes starting at once do
 * not race. Also installs graphile-worker's schema (its migrations are one transaction each, with no
 * session state: safe behind a transaction pooler too).
 *
 * The lock is transaction-scoped (`pg_advisory_xact_lock`), taken again by every transaction: behind
 * a transaction-mode pooler a session lock would be taken on one server connection and released on
 * another, and the leaked lock would block every later migration.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  // graphile-worker's schema first: Glaze's SQL functions add jobs through it.
  await runMigrations({ pgPool: pool, logger: quietGraphileLogger });
  const client = await pool.connect();
  const applied: string[] = [];
  const inTransaction = async <T>(fn: () => Promise<T>): Promise<T> => {
    await client.query('begin');
    try {
      await client.query('select pg_advisory_xact_lock($1)', [migrationLock]);
      const result = await fn();
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  };
  try {
    const done = await inTransaction(async () => {
      await client.query(
        'create table if not exists glaze_migrations (name text primary key, applied_at timestamptz not null default now())',
      );
      return new Set((await client.query('select name from glaze_migrations')).rows.map((r) => r.name));
    });
    for (const name of await migrationFiles()) {
      if (done.has(name)) continue;
      const sql = await readFile(new URL(name, migrationsDir), 'utf8');
      await inTransaction(async () => {
        // Another process may have applied it while this one waited for the lock.
        const again = await client.query('select 1 from glaze_migrations where name = $1', [name]);
        if (again.rowCount) return;
        try {
          await client.query(sql);
        } catch (error) {
          throw new Error(`migration ${name} failed: ${(error as Error).message}`);
        }
        await client.query('insert into glaze_migrations (name) values ($1)', [name]);
        applied.push(name);
      });
    }
  } finally {
    client.release();
  }
  return applied;
}

/** Which migrations are applied and which are pending (for /readyz). */
export async function migrationStatus(pool: Pool): Promise<MigrationStatus> {
  const files = await migrationFiles();
  const exists = await pool.query("select to_regclass('glaze_migrations') is not null as ok");
  const applied = exists.rows[0]?.ok
    ? (await pool.query('select name from glaze_migrations order by name')).rows.map((r) => r.name as string)
    : [];
  return { applied, pending: files.filter((f) => !applied.includes(f)) };
}

/** graphile-worker logs through pino-scoped loggers elsewhere; its migrations stay quiet. */
export const quietGraphileLogger = new GraphileLogger(() => () => {});
