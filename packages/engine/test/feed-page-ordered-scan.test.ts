import { expect, it } from 'vitest';
import { cancelRun, claimChunk, startRun } from '../src/index';
import { chunksOf, seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

/**
 * A feed page costs what the page holds, not the distance to its bound (migration 034). With
 * statistics from before a run moved every cell's seq, Postgres planned the page's search for its
 * next changes as a bitmap scan of every cell up to the bound and a sort: on a table of 1,000,000
 * done cells a page of 2,000 took 330-975 ms on a fresh connection against 8-20 ms as an ordered
 * index scan. That plan needs a large table with scattered heap pages to appear, so this file checks
 * that the function keeps the setting that rules it out (a later `create or replace` of the function
 * drops it unless it says it again), and what a page reads from the index on a fresh connection.
 */
it('keeps the feed page from planning a bitmap scan', async () => {
  const { rows } = await db.pool.query(
    `select proconfig from pg_proc where proname = 'glaze_table_feed_page'`,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0].proconfig).toContain('enable_bitmapscan=off');
});

it('reads a page of 100 changes from the start of a 5,000-cell run without visiting the rest', async () => {
  const { table, column } = await seedTable(db, { rows: 5000 });
  // statistics taken during a first run; a second run then moves every cell's seq past them
  const first = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  await db.pool.query('analyze cells');
  await cancelRun(db.pool, first.id);
  const after = await bound(table.id);
  await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const upto = await bound(table.id);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const { rows: page } = await client.query(
      'select f.cells from glaze_table_feed_page($1, $2, 100, $3) f',
      [table.id, after, upto],
    );
    expect(page[0].cells.split('\n').length).toBeGreaterThan(50); // the rest of the 100: chunks, the run
    const { rows: read } = await client.query(
      `select pg_stat_get_xact_tuples_returned('cells_table_seq'::regclass) as entries`,
    );
    await client.query('commit');
    // the page's search (~100 entries) and its cells' read (~100); a scan up to the bound reads 5,000
    expect(Number(read[0].entries)).toBeLessThan(1000);
  } finally {
    client.release();
  }
});

it("finds the cells of chunks claimed in a page's range from the chunks, not from every queued cell (migration 037)", async () => {
  const { table, column } = await seedTable(db, { rows: 20000 });
  // statistics of a table whose cells are done (a first run); a re-run queues all 20,000
  const first = await startRun(db.pool, { columnId: column.id, scope: 'all', startBatch: 20000 });
  await db.pool.query(`update cells set status = 'done' where run_id = $1`, [first.id]);
  await db.pool.query(`update chunks set status = 'done' where run_id = $1`, [first.id]);
  await db.pool.query(`update runs set status = 'done' where id = $1`, [first.id]);
  await db.pool.query('vacuum analyze cells, chunks');
  const before = await bound(table.id);
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', startBatch: 20000 });
  const queued = await bound(table.id);
  const [chunk] = await chunksOf(db, run.id);
  await claimChunk(db.pool, chunk!, 30, 'test-worker');
  const claimed = await bound(table.id);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    // the backend's counts not yet reported (up to a second's worth) are in the figure: take differences
    const entries = async () => {
      const { rows } = await client.query(
        `select pg_stat_get_xact_tuples_returned('cells_queued'::regclass) as entries`,
      );
      return Number(rows[0].entries);
    };
    const page = async (after: number, upto: number) => {
      const start = await entries();
      const { rows } = await client.query('select f.cells from glaze_table_feed_page($1, $2, 2000, $3) f', [
        table.id,
        after,
        upto,
      ]);
      return { cells: (rows[0].cells as string).split('\n'), read: (await entries()) - start };
    };
    // the re-run's first 2,000 queued cells: no chunk claimed in range, nothing to find there (the
    // planner's join walked all 20,000 queued cells to keep none)
    const first2000 = await page(before, queued);
    expect(first2000.cells.length).toBeGreaterThan(1000); // the rest of the 2,000: the chunks, the run
    expect(first2000.read).toBeLessThanOrEqual(100);
    // the claim: the chunk's 500 cells, running, from its 500 queued entries
    const running = await page(queued, claimed);
    expect(running.cells).toHaveLength(500);
    expect(running.cells.every((text) => text.includes('"running"'))).toBe(true);
    expect(running.read).toBeLessThanOrEqual(600);
    await client.query('commit');
  } finally {
    client.release();
  }
});

async function bound(tableId: number): Promise<number> {
  const { rows } = await db.pool.query('select glaze_table_seq($1) as bound', [tableId]);
  return Number(rows[0].bound);
}
