import { createPool, type Pool } from '@glaze/db';
import { expect, it } from 'vitest';
import { insertRows, startRun } from '../src/index';
import { refreshStatistics } from '../src/worker/refresh-statistics';
import { seedTable, startTestWorker, testDatabase, useTestDatabase, waitForRun } from './helpers';

/**
 * Worker connections plan each named statement once, generically (pool.ts, genericPlans). Such a
 * plan must not depend on a parameter it cannot see, and must not outlive the table size it was made for.
 */
const db = useTestDatabase();

/** A pool of one connection planning like the workers' (so `explain execute` sees its statements). */
function workerLikePool(): Pool {
  return createPool({ connectionString: db.url, max: 1, genericPlans: true });
}

async function plan(pool: Pool, sql: string): Promise<string> {
  const { rows } = await pool.query(`explain ${sql}`);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

it('a generic plan made while cells was nearly empty is made again once the table has grown', async () => {
  const { table, column } = await seedTable(db, { rows: 5 });
  const pool = workerLikePool();
  try {
    await pool.query(`prepare probe(bigint) as
      select count(*) from cells where chunk_id = $1 and status = 'queued'`);
    expect(await plan(pool, 'execute probe(1)')).toMatch(/Seq Scan on cells/);
    const rowIds = await insertRows(
      db.pool,
      table.id,
      Array.from({ length: 30_000 }, (_, i) => ({ input: `v${i}` })),
    );
    await db.pool.query(
      `insert into cells (table_id, row_id, column_id, status)
       select $1, id, $2, 'done' from unnest($3::bigint[]) as r(id)`,
      [table.id, column.id, rowIds],
    );
    // the cached plan still scans the whole table: nothing told Postgres it grew
    expect(await plan(pool, 'execute probe(1)')).toMatch(/Seq Scan on cells/);
    expect(await refreshStatistics(db.pool)).toEqual(expect.arrayContaining(['cells', 'rows']));
    expect(await plan(pool, 'execute probe(1)')).toMatch(/Index Only Scan using cells_queued/);
    // measured now: nothing has doubled since
    expect(await refreshStatistics(db.pool)).toEqual([]);
  } finally {
    await pool.end();
  }
});

it('a worker re-measures cells while a run expands', async () => {
  // a database of its own: the test above has measured this one's cells already
  const own = await testDatabase();
  const pool = createPool({ connectionString: own.url, max: 10, genericPlans: true });
  const worker = await startTestWorker(own, { pool });
  try {
    const { column } = await seedTable(own, { rows: 3_000 });
    const measured = async () =>
      (await own.pool.query(`select relpages from pg_class where oid = 'cells'::regclass`)).rows[0].relpages;
    expect(await measured()).toBe(0);
    const run = await startRun(own.pool, {
      columnId: column.id,
      scope: 'all',
      startBatch: 500,
      expandBatch: 1_000,
    });
    expect(await waitForRun(own, run.id)).toBe('done');
    await expect.poll(measured).toBeGreaterThan(0);
  } finally {
    await worker.stop();
    await pool.end();
    await own.drop();
  }
});

it("a `rows` start planned generically reads only the named rows, not the table's", async () => {
  const { column, rowIds } = await seedTable(db, { rows: 20_000 });
  const pool = workerLikePool();
  try {
    // the first start prepares the statement on the pool's one connection
    await startRun(pool, { columnId: column.id, scope: { rowIds: rowIds.slice(0, 3) }, auto: true });
    const named = rowIds.slice(100, 103);
    const { rows } = await pool.query(
      `explain (analyze, format json) execute glaze_start_run(${column.id}, 'rows', '{${named.join(',')}}',
       '{"rowIds":[]}', 3, null, 500, null, null, true, 2000, 10000, null, null)`,
    );
    const scans: Array<{ rows: number; removed: number }> = [];
    const walk = (node: Record<string, unknown>) => {
      if (node['Relation Name'] === 'rows')
        scans.push({
          rows: Number(node['Actual Rows']) * Number(node['Actual Loops']),
          removed: Number(node['Rows Removed by Filter'] ?? 0),
        });
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    const read = scans.reduce((sum, scan) => sum + scan.rows + scan.removed, 0);
    expect(scans.length).toBeGreaterThan(0);
    expect(read).toBeLessThanOrEqual(named.length);
  } finally {
    await pool.end();
  }
});
