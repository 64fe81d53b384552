import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { migrate } from '../src/migrate';
import { createPool } from '../src/pool';
import { withDatabase } from '../src/testing';

it('two processes migrating an empty database at once apply each migration once and leave no lock behind', async () => {
  const adminUrl = inject('adminUrl');
  const name = `glaze_migrate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  // Pools as a transaction pooler would serve them: every statement may land on another connection.
  const pools = [1, 2].map(() =>
    createPool({ connectionString: withDatabase(adminUrl, name), max: 2, transactionPooler: true }),
  );
  try {
    const [first, second] = await Promise.all(pools.map((pool) => migrate(pool)));
    const all = (await pools[0]!.query('select name from glaze_migrations order by name')).rows.map(
      (r) => r.name,
    );
    expect(all.length).toBeGreaterThan(5);
    expect([...(first ?? []), ...(second ?? [])].sort()).toEqual(all);
    const { rows } = await admin.query(
      `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
       where l.locktype = 'advisory' and d.datname = $1`,
      [name],
    );
    expect(rows[0].n).toBe(0);
    expect(await migrate(pools[1]!)).toEqual([]);
  } finally {
    for (const pool of pools) await pool.end();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
});
