import { expect, it } from 'vitest';
import { readChanges, startRun } from '../src/index';
import { decodeCells, seedTable, useTestDatabase } from './helpers';

// Migrations 028 and 032: the change feed takes the table's lock only to find its bound, not for the
// read nor for the durability barrier that ends the read's statement.

const db = useTestDatabase();

/** Polls until `sql` returns a row, or fails after 10 s naming what it waited for. */
async function waitFor(sql: string, values: unknown[], what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await db.pool.query(sql, values)).rows.length === 0) {
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("a feed read does not hold the table's lock while it reads, so the table's writers go on", async () => {
  const { table, column } = await seedTable(db, { rows: 20 });
  await startRun(db.pool, { columnId: column.id, scope: 'all' });
  // Hold up the read itself: its last part checks the table still exists, which waits for this lock.
  const blocker = await db.pool.connect();
  try {
    await blocker.query('begin');
    await blocker.query('lock table tables in access exclusive mode');
    const read = readChanges(db.pool, table.id, 0);
    await waitFor(
      `select 1 from pg_stat_activity where query like '%glaze_table_feed%' and wait_event_type = 'Lock'`,
      [],
      'the feed read to wait on the tables lock',
    );
    const { rows } = await db.pool.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 1 and objid = $1`,
      [table.id],
    );
    expect(rows[0].n).toBe(0);
    await blocker.query('commit');
    const { batch } = await read;
    expect(decodeCells(batch.cells).filter((cell) => cell.status === 'queued')).toHaveLength(20);
  } finally {
    await blocker.query('rollback').catch(() => {});
    blocker.release();
  }
});

it('a feed read still waits for a writer that took a seq before it, and returns its change', async () => {
  const { table } = await seedTable(db, { rows: 1 });
  const { batch: before } = await readChanges(db.pool, table.id, 0);
  const writer = await db.pool.connect();
  try {
    // A writer by the feed's rule: the table's lock shared, a seq, not yet committed.
    await writer.query('begin');
    await writer.query(
      `update rows set data = '{"x": 1}', seq = nextval('glaze_seq') where table_id = $1 and glaze_lock_table($1)`,
      [table.id],
    );
    const read = readChanges(db.pool, table.id, before.to);
    await waitFor(
      `select 1 from pg_stat_activity where query like '%glaze_table_seq(%' and wait_event_type = 'Lock'`,
      [],
      'the feed read to wait for the writer',
    );
    await writer.query('commit');
    const { batch } = await read;
    expect(batch.rows.map((row) => row.values)).toEqual([{ x: 1 }]);
  } finally {
    await writer.query('rollback').catch(() => {});
    writer.release();
  }
});

it('a bound read cancelled while it holds the lock lets go of it: a session lock outlives its transaction', async () => {
  const { table } = await seedTable(db, { rows: 1 });
  const blocker = await db.pool.connect();
  const reader = await db.pool.connect();
  try {
    // The bound's probe of `cells` waits behind this, with the table's lock already taken.
    await blocker.query('begin');
    await blocker.query('lock table cells in access exclusive mode');
    const { rows: backend } = await reader.query('select pg_backend_pid() as pid');
    const pid = backend[0].pid as number;
    const read = reader.query('select glaze_table_seq($1)', [table.id]).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    await waitFor(
      `select 1 from pg_locks where pid = $1 and locktype = 'advisory' and granted`,
      [pid],
      'the bound read to take the table lock',
    );
    await waitFor(
      `select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'`,
      [pid],
      'the bound read to wait for the cells table',
    );
    await db.pool.query('select pg_cancel_backend($1)', [pid]);
    expect(await read).toBe('57014'); // query_canceled
    await blocker.query('rollback');
    const { rows } = await db.pool.query(
      `select count(*)::int as n from pg_locks where pid = $1 and locktype = 'advisory'`,
      [pid],
    );
    expect(rows[0].n).toBe(0);
  } finally {
    await blocker.query('rollback').catch(() => {});
    blocker.release();
    reader.release();
  }
});
