import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelOnAbort, StatementCancelled } from '../src/cancel-on-abort';
import { createPool, type Pool, withTransaction } from '../src/pool';
import { type Pgbouncer, pgbouncerBinary, startPgbouncer } from '../src/testing';

/**
 * A request's statements cancelled in Postgres when its client goes away: a search the grid gave up
 * on at a million rows ran on for up to a second, holding a connection. Seen from the server, in
 * pg_stat_activity: the statement stops, its connection is closed rather than reused.
 */
const tag = `cancel-${process.pid}-${Date.now()}`;
let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
});
afterAll(() => admin.end());

/** Statements of `application` running now, and its connections. */
async function activity(application: string) {
  const { rows } = await admin.query(
    `select count(*) filter (where state = 'active')::int as running,
            count(*) filter (where state like 'idle in transaction%')::int as "inTransaction",
            count(*)::int as connections
     from pg_stat_activity where application_name = $1`,
    [application],
  );
  return rows[0] as { running: number; inTransaction: number; connections: number };
}

async function until(check: () => Promise<boolean>, what: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `serverConnectionCloses`: a direct pool's connection is the server's; a pooler keeps its server
 * connection once the cancelled statement has ended, and only the client's is closed.
 */
function cases(name: string, open: (application: string) => Promise<Pool>, serverConnectionCloses: boolean) {
  const ended = async (application: string) => {
    const now = await activity(application);
    return now.running === 0 && now.inTransaction === 0 && (!serverConnectionCloses || now.connections === 0);
  };
  describe(name, () => {
    it('stops a running statement, closes its connection, and refuses the next at once', async () => {
      const application = `${tag}-${name}-1`;
      const pool = await open(application);
      try {
        const controller = new AbortController();
        const scoped = cancelOnAbort(pool, controller.signal);
        const began = Date.now();
        const sleeping = scoped.query('select pg_sleep(20)').then(
          () => 'finished',
          (error: Error & { code?: string }) => error.code,
        );
        await until(async () => (await activity(application)).running === 1, 'the statement to start');
        controller.abort();
        expect(await sleeping).toBe('57014');
        expect(Date.now() - began).toBeLessThan(5_000);
        await until(() => ended(application), 'the statement to end and its connection to close');
        await expect(scoped.query('select 1')).rejects.toBeInstanceOf(StatementCancelled);
        // the pool itself serves others as before
        expect((await pool.query('select 1 as one')).rows[0].one).toBe(1);
      } finally {
        await pool.end();
      }
    });

    it('ends a transaction cut short, with nothing left idle in it', async () => {
      const application = `${tag}-${name}-2`;
      const pool = await open(application);
      try {
        const controller = new AbortController();
        const scoped = cancelOnAbort(pool, controller.signal);
        const steps: string[] = [];
        const work = withTransaction(scoped, async (client) => {
          await client.query('select pg_sleep(20)').catch((error) => {
            steps.push(`sleep: ${error.code}`);
            throw error;
          });
          steps.push('after the sleep');
        }).catch((error: Error & { code?: string }) => error.code);
        await until(async () => (await activity(application)).running === 1, 'the statement to start');
        controller.abort();
        expect(await work).toBe('57014');
        expect(steps).toEqual(['sleep: 57014']);
        await until(() => ended(application), 'the transaction to end and its connection to close');
      } finally {
        await pool.end();
      }
    });

    it('leaves a connection whose statements ended before the abort in the pool', async () => {
      const application = `${tag}-${name}-3`;
      const pool = await open(application);
      try {
        const controller = new AbortController();
        const scoped = cancelOnAbort(pool, controller.signal);
        expect((await scoped.query('select 2 as two')).rows[0].two).toBe(2);
        controller.abort();
        expect(pool.idleCount).toBe(1);
        expect((await pool.query('select pg_backend_pid() as pid')).rows[0].pid).toBeGreaterThan(0);
        expect((await activity(application)).connections).toBe(1);
      } finally {
        await pool.end();
      }
    });
  });
}

cases(
  'direct',
  async (application) =>
    createPool({ connectionString: inject('adminUrl'), max: 2, applicationName: application }),
  true,
);

describe.skipIf(!pgbouncerBinary)('behind a transaction pooler', () => {
  let bouncer: Pgbouncer;
  beforeAll(async () => {
    bouncer = await startPgbouncer(inject('adminUrl'), new URL(inject('adminUrl')).pathname.slice(1));
  });
  afterAll(() => bouncer?.close());
  // pgbouncer passes application_name on to the server connection it hands out
  cases(
    'pgbouncer',
    async (application) =>
      createPool({
        connectionString: bouncer.url,
        max: 2,
        applicationName: application,
        transactionPooler: true,
      }),
    false,
  );
});
