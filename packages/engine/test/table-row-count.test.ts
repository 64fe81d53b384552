import { Readable } from 'node:stream';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { deleteRows, getTable, importCsv, insertRows, listTables, restoreRows } from '../src/index';
import { recordStatements, seedTable, useTestDatabase } from './helpers';

// Migration 033: a table's row count is kept by its rows' statements, so reading a table never
// counts its rows (a million rows took 100-300 ms a request).
const db = useTestDatabase();

const counted = async (tableId: number) =>
  Number((await db.pool.query('select count(*) as n from rows where table_id = $1', [tableId])).rows[0].n);

it('keeps a table’s row count through inserts, imports, upserts, deletes and restores', async () => {
  const { table, workspaceId } = await seedTable(db, { rows: 3 });
  const other = await seedTable(db, { rows: 2 });
  const expectCount = async (n: number) => {
    expect(await counted(table.id)).toBe(n);
    expect((await getTable(db.pool, table.id, workspaceId))?.rowCount).toBe(n);
  };
  await expectCount(3);
  const added = await insertRows(db.pool, table.id, [{ input: 'a' }, { input: 'b' }]);
  await expectCount(5);
  // an import appends 4 rows; an upsert by `input` updates 2 of them and appends 1
  await importCsv(db.pool, {
    tableId: table.id,
    workspaceId,
    stream: Readable.from(['input\nc\nd\ne\nf\n']),
  });
  await expectCount(9);
  await importCsv(db.pool, {
    tableId: table.id,
    workspaceId,
    key: 'input',
    providers: builtinProviders,
    stream: Readable.from(['input\nc\nd\ng\n']),
  });
  await expectCount(10);
  expect(await deleteRows(db.pool, table.id, added)).toBe(2);
  await expectCount(8);
  expect(await restoreRows(db.pool, table.id, added)).toBe(2);
  await expectCount(10);
  // the other table's count never moved; a deleted table leaves no count behind
  expect((await getTable(db.pool, other.table.id, other.workspaceId))?.rowCount).toBe(2);
  const listed = await listTables(db.pool, workspaceId);
  expect(listed.map((t) => t.rowCount)).toEqual([10]);
});

it('reads a table and lists tables without counting their rows', async () => {
  const { table, workspaceId } = await seedTable(db, { rows: 5 });
  const recorded = recordStatements(db.pool);
  try {
    expect((await getTable(db.pool, table.id, workspaceId))?.rowCount).toBe(5);
    expect((await listTables(db.pool, workspaceId))[0]?.rowCount).toBe(5);
  } finally {
    recorded.stop();
  }
  expect(recorded.statements).toHaveLength(2);
  for (const text of recorded.statements) expect(text).not.toMatch(/from rows/);
});

it('counts rows added to one table by concurrent transactions exactly', async () => {
  const { table, workspaceId } = await seedTable(db, { rows: 0 });
  // ten transactions, each two inserts with a pause between: their count updates must queue, not race
  await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await client.query(`insert into rows (table_id, position, data) values ($1, $2, '{}')`, [
          table.id,
          i,
        ]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await client.query(
          `insert into rows (table_id, position, data) select $1, $2 + g / 100.0, '{}' from generate_series(1, 9) g`,
          [table.id, i],
        );
        await client.query('commit');
      } finally {
        client.release();
      }
    }),
  );
  expect(await counted(table.id)).toBe(100);
  expect((await getTable(db.pool, table.id, workspaceId))?.rowCount).toBe(100);
});

it('moves the count with a row moved to another table, and refuses a table that does not exist', async () => {
  const from = await seedTable(db, { rows: 3 });
  const to = await seedTable(db, { rows: 1 });
  await db.pool.query('update rows set table_id = $2 where id = $1', [from.rowIds[0], to.table.id]);
  expect((await getTable(db.pool, from.table.id, from.workspaceId))?.rowCount).toBe(2);
  expect((await getTable(db.pool, to.table.id, to.workspaceId))?.rowCount).toBe(2);
  const missing = db.pool.query(`insert into rows (table_id, position, data) values (987654321, 1, '{}')`);
  await expect(missing).rejects.toMatchObject({ code: '23503', column: 'table_id' });
  expect((await getTable(db.pool, from.table.id, from.workspaceId))?.rowCount).toBe(2);
});
