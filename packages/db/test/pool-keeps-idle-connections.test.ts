import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { createPool } from '../src/pool';

/**
 * `glaze start` and `glaze worker` keep their idle connections for minutes (`idleMs`): with pg's 10 s
 * a run after a pause reconnected most of its pool (a 10-cell run 100 ms from the database: 0.43 s
 * instead of 0.23 s). Counted on the server, in pg_stat_activity, 11 s after three connections were
 * last used: a pool with the default has closed them, one with `idleMs` has not.
 */
it('a pool with idleMs keeps its connections past pg’s 10 s; one without closes them', {
  timeout: 30_000,
}, async () => {
  const adminUrl = inject('adminUrl');
  const tag = `idle-${process.pid}-${Date.now()}`;
  const kept = createPool({
    connectionString: adminUrl,
    max: 3,
    applicationName: `${tag}-kept`,
    idleMs: 300_000,
  });
  const closed = createPool({ connectionString: adminUrl, max: 3, applicationName: `${tag}-closed` });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // three connections each, used at once, then left alone
    await Promise.all(
      [kept, closed].flatMap((pool) => [1, 2, 3].map(() => pool.query('select pg_sleep(0.05)'))),
    );
    const open = async (suffix: string) => {
      const { rows } = await admin.query(
        'select count(*)::int as n from pg_stat_activity where application_name = $1',
        [`${tag}-${suffix}`],
      );
      return rows[0].n as number;
    };
    expect([await open('kept'), await open('closed')]).toEqual([3, 3]);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect([await open('kept'), await open('closed')]).toEqual([3, 0]);
  } finally {
    await admin.end();
    await kept.end();
    await closed.end();
  }
});
