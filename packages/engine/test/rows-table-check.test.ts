import { expect, it } from 'vitest';
import { csvStatements } from '../src/csv/statements';
import { deleteTable, insertRows } from '../src/index';
import { seedTable, useTestDatabase } from './helpers';

// Migration 027: rows check their table once per statement (no per-row foreign key), and a deleted
// table takes its rows (and their cells) with it.
const db = useTestDatabase();

it('refuses rows of a table that does not exist, with the foreign key error, naming table_id', async () => {
  const { table } = await seedTable(db, { rows: 1 });
  const insert = db.pool.query(
    `insert into rows (table_id, position, data) values ($1, 10, '{}'), (987654321, 11, '{}')`,
    [table.id],
  );
  await expect(insert).rejects.toMatchObject({ code: '23503', column: 'table_id' });
  await expect(insert).rejects.toThrow('rows.table_id: table 987654321 does not exist');
  const moved = db.pool.query('update rows set table_id = 987654321 where table_id = $1', [table.id]);
  await expect(moved).rejects.toMatchObject({ code: '23503', column: 'table_id' });
  const { rows } = await db.pool.query('select count(*)::int as n from rows where table_id = $1', [table.id]);
  expect(rows[0].n).toBe(1);
});

it('deletes a deleted table’s rows and their cells, and no other table’s', async () => {
  const doomed = await seedTable(db, { rows: 3 });
  const kept = await seedTable(db, { rows: 2 });
  for (const { table, column, rowIds } of [doomed, kept]) {
    await db.pool.query(
      `insert into cells (table_id, row_id, column_id, status, value) select $1, r, $2, 'done', '1' from unnest($3::bigint[]) r`,
      [table.id, column.id, rowIds],
    );
  }
  expect(await deleteTable(db.pool, doomed.table.id, doomed.workspaceId)).toBe(true);
  const count = async (sql: string, id: number) => (await db.pool.query(sql, [id])).rows[0].n;
  expect(await count('select count(*)::int as n from rows where table_id = $1', doomed.table.id)).toBe(0);
  expect(await count('select count(*)::int as n from cells where table_id = $1', doomed.table.id)).toBe(0);
  expect(await count('select count(*)::int as n from rows where table_id = $1', kept.table.id)).toBe(2);
  expect(await count('select count(*)::int as n from cells where table_id = $1', kept.table.id)).toBe(2);
});

it('reads copied rows as one range, or as islands when other inserts took ids between them', async () => {
  const { table } = await seedTable(db, { rows: 2 });
  const other = await seedTable(db, { rows: 1 });
  await insertRows(db.pool, other.table.id, [{ input: 'between' }]);
  await insertRows(db.pool, table.id, [{ input: 'after' }]);
  const ids = (await db.pool.query('select id::int from rows where table_id = $1 order by id', [table.id]))
    .rows;
  const [a, b, c] = ids.map((r) => r.id as number);
  const read = async (n: number) =>
    (await db.pool.query({ ...csvStatements.appendedRows, values: [table.id, n] })).rows[0].ranges;
  expect(await read(3)).toEqual([
    [a, b],
    [c, c],
  ]);
  const fresh = await seedTable(db, { rows: 4 });
  const first = fresh.rowIds[0] as number;
  expect(await read(3)).toHaveLength(2);
  expect(
    (await db.pool.query({ ...csvStatements.appendedRows, values: [fresh.table.id, 4] })).rows[0].ranges,
  ).toEqual([[first, first + 3]]);
});
