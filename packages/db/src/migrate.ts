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

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so two
 * processes starting at once do not race. Also installs graphile-worker's schema.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  // graphile-worker's schema first: Glaze's SQL functions add jobs through it.
  await runMigrations({ pgPool: pool, logger: quietGraphileLogger });
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock(7461636)');
    await client.query(
      'create table if not exists glaze_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await client.query('select name from glaze_migrations')).rows.map((r) => r.name));
    for (const name of await migrationFiles()) {
      if (done.has(name)) continue;
      const sql = await readFile(new URL(name, migrationsDir), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into glaze_migrations (name) values ($1)', [name]);
        await client.query('commit');
        applied.push(name);
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock(7461636)').catch(() => {});
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
