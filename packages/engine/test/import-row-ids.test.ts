import { Readable } from 'node:stream';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idPages, idRanges, importCsv, insertRows } from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

function csv(rows: number): Readable {
  const lines = ['email'];
  for (let i = 1; i <= rows; i++) lines.push(`u${i}@example.com`);
  return Readable.from([`${lines.join('\n')}\n`]);
}

async function tableRowIds(tableId: number): Promise<number[]> {
  const { rows } = await db.pool.query('select id::int from rows where table_id = $1 order by id', [tableId]);
  return rows.map((r) => r.id);
}

it('reads the ranges a statement returns, bigints as text included', () => {
  expect(
    idRanges([
      ['5', '9'],
      [12, 13],
    ]),
  ).toEqual([
    { first: 5, last: 9 },
    { first: 12, last: 13 },
  ]);
});

it('pages ids across ranges, never more than the page size at once', () => {
  const pages = [
    ...idPages(
      [
        { first: 1, last: 4 },
        { first: 10, last: 12 },
      ],
      3,
    ),
  ];
  expect(pages).toEqual([[1, 2, 3], [4, 10, 11], [12]]);
  expect([...idPages([], 3)]).toEqual([]);
});

it('importCsv returns the new rows as id ranges, for a new table and for an append', async () => {
  const created = await importCsv(db.pool, { workspaceId, name: 'ids', stream: csv(5), batchSize: 2 });
  expect(created.rowIds).toHaveLength(1);
  expect([...idPages(created.rowIds, 100)].flat()).toEqual(await tableRowIds(created.table.id));

  const tableId = created.table.id;
  const before = new Set(await tableRowIds(tableId));
  await insertRows(db.pool, tableId, [{ email: 'between@example.com' }]);
  const appended = await importCsv(db.pool, { tableId, workspaceId, stream: csv(7), batchSize: 3 });
  const added = (await tableRowIds(tableId)).filter((id) => !before.has(id)).slice(1);
  expect(appended.rows).toBe(7);
  expect([...idPages(appended.rowIds, 100)].flat()).toEqual(added);
});
