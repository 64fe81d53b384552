import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

/**
 * A page or a count whose client went away has its statement cancelled in Postgres. The grid aborts
 * the requests of a search it has moved past; before, each ran on to its end (up to a second at a
 * million rows), holding one of the server's connections. Made slow here for certain: the rows are
 * locked by another transaction, so the statement waits until cancelled.
 */
let server: TestServer;
let base: string;
let tableId: number;
let locker: pg.Client;
/** Reads pg_stat_activity outside the locker's transaction, which would see one snapshot of it. */
let watcher: pg.Client;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
  const response = await fetch(`${base}/tables/import?name=Abandoned`, {
    method: 'POST',
    headers: { ...server.auth, 'content-type': 'text/csv' },
    body: leadsCsv(20),
  });
  tableId = (await response.json()).table.id;
  locker = new pg.Client({ connectionString: server.db.url });
  await locker.connect();
  watcher = new pg.Client({ connectionString: server.db.url });
  await watcher.connect();
});
afterAll(async () => {
  await locker.end();
  await watcher.end();
  await server.close();
});

/** Reads of this database waiting for the rows' lock (an index build the query asked for waits too, and goes on). */
async function waiting(): Promise<number> {
  const { rows } = await watcher.query(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and state = 'active' and wait_event_type = 'Lock'
       and query not like 'create index%'`,
  );
  return rows[0].n;
}

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it.each([
  ['a filtered page', `/rows?filter=${encodeURIComponent('{"column":"email","op":"eq","value":"nobody"}')}`],
  ['a searched page', `/rows?q=${encodeURIComponent('nobody@nowhere')}`],
  ['a page with its count', `/rows?q=${encodeURIComponent('nobody@nowhere')}&count=true`],
  ['a count', `/rows/count?filter=${encodeURIComponent('{"column":"email","op":"contains","value":"zz"}')}`],
])('%s its client abandoned stops waiting in Postgres', async (_, path) => {
  await locker.query('begin');
  try {
    await locker.query('lock table rows in access exclusive mode');
    const controller = new AbortController();
    const asked = fetch(`${base}/tables/${tableId}${path}`, {
      headers: server.auth,
      signal: controller.signal,
    });
    await until(async () => (await waiting()) > 0, 'the read to wait for the lock');
    controller.abort();
    await expect(asked).rejects.toThrow();
    // cancelled while the lock is still held: before, it waited for as long as the lock lasted
    await until(async () => (await waiting()) === 0, 'the abandoned read to be cancelled');
  } finally {
    await locker.query('rollback');
  }
  // the server answers the same read as before
  const again = await fetch(`${base}/tables/${tableId}${path}`, { headers: server.auth });
  expect(again.status).toBe(200);
});
