import { createPool } from '@glaze/db';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { addColumn, createTable, insertRowData, queryRows } from '../src/index';
import { serialRows } from '../src/query/serial-statement';
import { createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

const settingsNow = `select current_setting('max_parallel_workers_per_gather') as workers, current_setting('jit') as jit`;

it('a statement a person waits on is planned without parallel workers or JIT, and the settings end with it', async () => {
  // one connection, so the statement after runs on the connection the settings were made on
  const pool = createPool({ connectionString: db.url, max: 1 });
  try {
    const before = (await pool.query(settingsNow)).rows[0];
    expect(before.workers).not.toBe('0');
    expect(await serialRows(pool, { text: settingsNow, values: [] })).toEqual([{ workers: '0', jit: 'off' }]);
    expect(
      await serialRows(
        pool,
        { text: `${settingsNow}, current_setting('enable_sort') as sort`, values: [] },
        {
          enable_sort: 'off',
        },
      ),
    ).toEqual([{ workers: '0', jit: 'off', sort: 'off' }]);
    expect((await pool.query(settingsNow)).rows[0]).toEqual(before);
    // an error rolls the transaction back and the connection is usable after it
    await expect(serialRows(pool, { text: 'select 1/0', values: [] })).rejects.toThrow(/division by zero/);
    expect((await pool.query(settingsNow)).rows[0]).toEqual(before);
  } finally {
    await pool.end();
  }
});

it('queryRows reads its page and its count with the serial settings', async () => {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, { workspaceId, name: 'serial', inputColumns: ['Name'] });
  const { rows: cols } = await db.pool.query('select id from columns where table_id = $1', [table.id]);
  await addColumn(db.pool, builtinProviders, {
    tableId: table.id,
    name: 'Check',
    kind: 'enrichment',
    provider: 'mock',
    config: {},
  });
  await insertRowData(
    db.pool,
    table.id,
    Array.from({ length: 20 }, (_, i) => JSON.stringify({ [String(cols[0].id)]: `n${i}` })),
  );
  // Every statement queryRows sends on a client it checks out, with the settings in force when it
  // ran (pool.query's own checkouts pass a callback and are left alone: a page read that way is missed).
  const seen: string[] = [];
  const wrapped: Array<() => void> = [];
  const watched = new WeakSet<object>();
  const connect = db.pool.connect.bind(db.pool);
  db.pool.connect = ((callback?: unknown) => {
    if (callback) return (connect as (cb: unknown) => void)(callback);
    return connect().then((client) => {
      if (watched.has(client)) return client;
      watched.add(client);
      const query = client.query;
      const run = query.bind(client) as (...args: unknown[]) => Promise<{ rows: unknown[] }>;
      wrapped.push(() => {
        client.query = query;
      });
      (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        if (/from rows r/.test(text)) {
          const { rows } = await run(settingsNow);
          const kind = text.includes('count(*)') ? 'count' : 'page';
          seen.push(`${kind} workers=${(rows[0] as { workers: string }).workers}`);
        }
        return run(...args);
      };
      return client;
    });
  }) as typeof db.pool.connect;
  try {
    const page = await queryRows(db.pool, {
      tableId: table.id,
      query: { filter: { column: 'Name', op: 'eq', value: 'n3' } },
      count: true,
    });
    expect(page.rows).toHaveLength(1);
    expect(page.matched).toEqual({ count: 1, exact: true });
  } finally {
    db.pool.connect = connect;
    for (const unwrap of wrapped) unwrap();
  }
  expect(seen.sort()).toEqual(['count workers=0', 'page workers=0']);
});
