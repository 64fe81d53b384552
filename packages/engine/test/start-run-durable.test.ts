import { createPool, type Pool } from '@glaze/db';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addColumn, createTable, insertRows, startRun } from '../src/index';

/**
 * The start statement commits asynchronously, so the workers it wakes do not wait for its WAL flush;
 * `startRun` returns only after a durability barrier. A run the caller was told of must survive a
 * crash that loses every asynchronous commit still in memory.
 */
let cluster: StoppableCluster;
let pool: Pool;
beforeAll(async () => {
  // The WAL writer sleeps 10 s: an async commit stays in memory, where a crash loses it.
  cluster = await startStoppableCluster({ settings: { wal_writer_delay: '10000ms' } });
  pool = createPool({ connectionString: cluster.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await cluster?.close();
});

describe('a started run across a crash that loses asynchronous commits', () => {
  it('is still there, with its queued cells, when startRun has returned', async () => {
    const { rows: ws } = await pool.query(`insert into workspaces (name) values ('crash') returning id`);
    const table = await createTable(pool, { workspaceId: ws[0].id, name: 'T', inputColumns: ['input'] });
    await insertRows(
      pool,
      table.id,
      Array.from({ length: 10 }, (_, i) => ({ input: `value-${i}` })),
    );
    const column = await addColumn(pool, builtinProviders, {
      tableId: table.id,
      name: 'out',
      kind: 'enrichment',
      provider: 'mock',
      config: {},
    });
    const run = await startRun(pool, { columnId: column.id, scope: 'all' });

    await cluster.crash();
    await cluster.start();
    const runs = await waitForDatabase(() => pool.query('select total from runs where id = $1', [run.id]));
    expect(runs.rows).toEqual([{ total: 10 }]);
    const { rows } = await pool.query(
      `select count(*)::int as queued from cells where run_id = $1 and status = 'queued'`,
      [run.id],
    );
    expect(rows[0].queued).toBe(10);
  }, 60_000);
});

async function waitForDatabase<T>(read: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
