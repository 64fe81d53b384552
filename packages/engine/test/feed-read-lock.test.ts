import { expect, it } from 'vitest';
import { readChanges, startRun } from '../src/index';
import { decodeCells, seedTable, useTestDatabase } from './helpers';

// Migration 028: the change feed takes the table's lock only to find its bound, not for the read.

const db = useTestDatabase();

/** Polls until `sql` returns a row, or fails after 10 s naming what it waited for. */
async function waitFor(sql: string, values: unknown[], what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await db.pool.query(sql, values)).rows.length === 0) {
    if (Date.now() > deadline) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("a feed read with its bound first does not hold the table's lock while it reads, so the table's writers go on", async () => {
  const { table, column } = await seedTable(db, { rows: 20 });
  await startRun(db.pool, { columnId: column.id, scope: 'all' });
  // Hold up the read itself: its last part checks the table still exists, which waits for this lock.
  const blocker = await db.pool.connect();
  try {
    await blocker.query('begin');
    await blocker.query('lock table tables in access exclusive mode');
    const read = readChanges(db.pool, table.id, 0, { boundFirst: true });
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

it.each([{ boundFirst: true }, { boundFirst: false }])(
  'a feed read (%o) still waits for a writer that took a seq before it, and returns its change',
  async (options) => {
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
      const read = readChanges(db.pool, table.id, before.to, options);
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
  },
);
