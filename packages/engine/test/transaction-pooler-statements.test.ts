import { createPool, type Pool } from '@glaze/db';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { statements } from '../src/worker/statements';
import { seedTable, testDatabase } from './helpers';

/**
 * What a transaction-mode pooler needs of the worker's statements (the real pgbouncer runs in
 * apps/cli/test/transaction-pooler.test.ts): nothing named, and the asynchronous commit set by the
 * statements themselves, since the startup option that sets it on a direct pool cannot be sent.
 */
let db: TestDatabase;
let pooled: Pool;
beforeAll(async () => {
  db = await testDatabase();
  pooled = createPool({
    connectionString: db.url,
    max: 2,
    transactionPooler: true,
    synchronousCommit: false,
    genericPlans: true,
  });
});
afterAll(async () => {
  await pooled.end();
  await db.drop();
});

async function preparedAfterNamedQueries(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    for (let i = 0; i < 2; i++)
      await client.query({ name: 'glaze_probe_named', text: 'select $1::int', values: [i] });
    const { rows } = await client.query('select name from pg_prepared_statements order by name');
    return rows.map((r) => r.name);
  } finally {
    client.release();
  }
}

it('a transactionPooler pool sends every statement unnamed; a direct one prepares them once', async () => {
  expect(await preparedAfterNamedQueries(pooled)).toEqual([]);
  const direct = createPool({ connectionString: db.url, max: 1 });
  try {
    expect(await preparedAfterNamedQueries(direct)).toEqual(['glaze_probe_named']);
  } finally {
    await direct.end();
  }
});

it('synchronousCommit: false sets the session asynchronous on a direct pool, and leaves a pooled one alone', async () => {
  const setting = async (pool: Pool) =>
    (await pool.query("select setting, source from pg_settings where name = 'synchronous_commit'")).rows[0];
  const direct = createPool({ connectionString: db.url, max: 1, synchronousCommit: false });
  try {
    expect(await setting(direct)).toEqual({ setting: 'off', source: 'session' });
  } finally {
    await direct.end();
  }
  // A SET behind a transaction pooler would stay on a server connection other clients get next.
  expect(['session', 'client']).not.toContain((await setting(pooled)).source);
});

it('genericPlans plans named statements generically from the first execution on a direct pool, not on a pooled one', async () => {
  const mode = async (pool: Pool) => (await pool.query('show plan_cache_mode')).rows[0].plan_cache_mode;
  const direct = createPool({
    connectionString: db.url,
    max: 1,
    synchronousCommit: false,
    genericPlans: true,
  });
  try {
    expect(await mode(direct)).toBe('force_generic_plan');
    // both settings of a worker connection, sent together
    expect((await direct.query('show synchronous_commit')).rows[0].synchronous_commit).toBe('off');
  } finally {
    await direct.end();
  }
  expect(await mode(pooled)).toBe('auto');
});

it('claim-chunk.sql and flush-results.sql make their own transaction commit asynchronously', async () => {
  const { table, column, rowIds } = await seedTable(db, { rows: 3 });
  await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const { rows: chunks } = await db.pool.query('select id from chunks where table_id = $1', [table.id]);
  const client = await pooled.connect();
  const setting = async () => (await client.query('show synchronous_commit')).rows[0].synchronous_commit;
  try {
    await client.query('begin');
    await client.query('set local synchronous_commit = on');
    const claimed = await client.query({
      ...statements.claimChunk,
      values: [chunks[0].id, 30, 'test-worker', null],
    });
    expect(claimed.rowCount).toBe(3);
    expect(await setting()).toBe('off');
    await client.query('commit');

    await client.query('begin');
    await client.query('set local synchronous_commit = on');
    const flushed = await client.query({
      ...statements.flushResults,
      values: [
        table.id,
        [column.id],
        [rowIds[0]],
        [chunks[0].id],
        [1],
        ['done'],
        [1],
        [0],
        [Date.now()],
        '[{"ok":true}]',
        '[null]',
        '[null]',
        [],
        [],
        [],
        [],
        [],
        [],
      ],
    });
    expect(flushed.rows[0].written).toBe(1);
    expect(await setting()).toBe('off');
    await client.query('rollback');
  } finally {
    client.release();
  }
});
