import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionLimitPool } from '../src/connection-limit-pool';
import { databaseOutage, outageLabel } from '../src/database-errors';
import { createPool } from '../src/pool';
import {
  pgbouncerBinary,
  type StoppableCluster,
  startPgbouncer,
  startStoppableCluster,
} from '../src/testing';

/**
 * A database at its max_connections refuses a new connection with 53300 ("too many clients"). A pool
 * that already holds connections keeps to them and its queries wait for one, instead of failing;
 * it tries to grow again later. Only a pool with no connection at all gets the 53300.
 */
let cluster: StoppableCluster;
beforeAll(async () => {
  cluster = await startStoppableCluster({
    migrate: false,
    settings: { max_connections: '8', superuser_reserved_connections: '0' },
  });
}, 60_000);
afterAll(() => cluster.close());

/** Takes `count` of the database's connections and holds them. */
async function occupy(count: number): Promise<pg.Client[]> {
  const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: cluster.url }));
  await Promise.all(clients.map((client) => client.connect()));
  return clients;
}

it('a pool at a full database keeps to the connections it has: every query waits for one, none fails', async () => {
  const capped: number[] = [];
  const pool = createPool({ connectionString: cluster.url, max: 10, onCapped: (n) => capped.push(n) });
  // 5 of the 8 taken elsewhere: the pool gets 3 (and the database is full while it has them)
  const others = await occupy(5);
  try {
    const answers = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => pool.query('select pg_sleep(0.02), $1::int as i', [i])),
    );
    const failed = answers.filter((answer) => answer.status === 'rejected');
    expect(failed.map((answer) => String((answer as PromiseRejectedResult).reason))).toEqual([]);
    expect(pool.totalCount).toBeLessThanOrEqual(3);
    expect(capped.length).toBeGreaterThan(0);
    expect(capped[0]).toBeLessThanOrEqual(3);
  } finally {
    await Promise.all(others.map((client) => client.end()));
    await pool.end();
  }
}, 30_000);

it('grows again once the database has room, after its capped time', async () => {
  const pool = new ConnectionLimitPool({ connectionString: cluster.url, max: 6 }, { cappedMs: 300 });
  pool.on('error', () => {});
  const others = await occupy(6);
  try {
    await Promise.all(Array.from({ length: 10 }, () => pool.query('select pg_sleep(0.02)')));
    expect(pool.allowed).toBeLessThanOrEqual(2);
    await Promise.all(others.map((client) => client.end()));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pool.allowed).toBe(6);
    await Promise.all(Array.from({ length: 12 }, () => pool.query('select pg_sleep(0.1)')));
    expect(pool.totalCount).toBeGreaterThan(2);
  } finally {
    await Promise.all(others.map((client) => client.end().catch(() => {})));
    await pool.end();
  }
}, 30_000);

it('a pool with no connection at all gets the 53300: the database cannot be used', async () => {
  const pool = createPool({ connectionString: cluster.url, max: 4 });
  const others = await occupy(8);
  try {
    const error = await pool.query('select 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '53300' });
    // an outage of its own, named as such (a 503 and the log say "too many clients"), not "unreachable"
    expect(databaseOutage(error)).toBe('too many connections');
    expect(outageLabel('too many connections')).toContain('max_connections');
  } finally {
    await Promise.all(others.map((client) => client.end()));
    await pool.end();
  }
}, 30_000);

describe.skipIf(!pgbouncerBinary)('behind a PgBouncer at its max_client_conn', () => {
  it('a pool keeps to its connections there too, and one with none is told "too many connections"', async () => {
    const bouncer = await startPgbouncer(cluster.url, 'glaze', { max_client_conn: '4' });
    const capped: number[] = [];
    const pool = createPool({
      connectionString: bouncer.url,
      max: 10,
      transactionPooler: true,
      onCapped: (n) => capped.push(n),
    });
    const others = Array.from({ length: 2 }, () => new pg.Client({ connectionString: bouncer.url }));
    try {
      await Promise.all(others.map((client) => client.connect()));
      const answers = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => pool.query('select pg_sleep(0.02), $1::int as i', [i])),
      );
      const failed = answers.filter((answer) => answer.status === 'rejected');
      expect(failed.map((answer) => String((answer as PromiseRejectedResult).reason))).toEqual([]);
      expect(pool.totalCount).toBeLessThanOrEqual(2);
      expect(capped[0]).toBeLessThanOrEqual(2);
      // the bouncer full and this pool holding nothing: its refusal is named as a full database
      const alone = createPool({ connectionString: bouncer.url, max: 2, transactionPooler: true });
      const error = await alone.query('select 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      await alone.end();
      expect(String(error)).toContain('no more connections allowed');
      expect(databaseOutage(error)).toBe('too many connections');
    } finally {
      await Promise.all(others.map((client) => client.end().catch(() => {})));
      await pool.end();
      await bouncer.close();
    }
  }, 30_000);
});
