import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anchorEvery, createTable, deleteRows, insertRowData, queryRows } from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let tableId: number;

beforeAll(async () => {
  db = await testDatabase();
  const workspaceId = await createWorkspace(db);
  tableId = (await createTable(db.pool, { workspaceId, name: 'jump', inputColumns: ['n'] })).id;
  for (let start = 0; start < 2.5 * anchorEvery; start += 5000)
    await insertRowData(
      db.pool,
      tableId,
      Array.from({ length: 5000 }, (_, i) => JSON.stringify({ n: start + i })),
    );
});
afterAll(() => db.drop());

async function reference(): Promise<string[]> {
  const { rows } = await db.pool.query(
    'select id::text from rows where table_id = $1 order by position, id',
    [tableId],
  );
  return rows.map((r) => r.id);
}

async function page(offset: number, limit = 7): Promise<string[]> {
  const found = await queryRows(db.pool, { tableId, query: { offset, limit } });
  return found.rows.map((r) => String(r.id));
}

it('a jump past the anchors reads the same rows as OFFSET, also after rows change', async () => {
  const offsets = [
    0,
    anchorEvery - 3,
    anchorEvery,
    anchorEvery + 1,
    2 * anchorEvery - 1,
    2 * anchorEvery + 4_990,
  ];
  let all = await reference();
  for (const offset of offsets) expect(await page(offset)).toEqual(all.slice(offset, offset + 7));
  // deleting rows before an anchor moves every later row: the anchors must be made again
  await deleteRows(db.pool, tableId, all.slice(100, 600).map(Number));
  all = await reference();
  for (const offset of offsets) expect(await page(offset)).toEqual(all.slice(offset, offset + 7));
  await insertRowData(db.pool, tableId, ['{"n":"late"}']);
  all = await reference();
  expect(await page(all.length - 3)).toEqual(all.slice(-3));
});
