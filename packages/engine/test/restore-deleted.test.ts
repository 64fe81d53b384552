import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import {
  addColumn,
  deleteColumn,
  deleteRows,
  deleteTable,
  getTable,
  queryRows,
  readRows,
  restoreColumn,
  restoreRows,
  startRun,
} from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

/** A table of `rows` rows whose mock column has run to the end: every cell `done` with a value. */
async function enrichedTable(rows: number) {
  const seeded = await seedTable(db, { rows });
  const worker = await startTestWorker(db);
  try {
    const run = await startRun(db.pool, { columnId: seeded.column.id, scope: 'all' });
    await waitForRun(db, run.id);
  } finally {
    await worker.stop();
  }
  return seeded;
}

const page = async (tableId: number) => (await readRows(db.pool, { tableId, limit: 1000 })).rows;
const trashCounts = async (tableId: number) =>
  (
    await db.pool.query(
      `select (select count(*) from row_trash where table_id = $1)::int as rows,
              (select count(*) from column_trash where table_id = $1)::int as columns,
              (select count(*) from cell_trash where table_id = $1)::int as cells`,
      [tableId],
    )
  ).rows[0];

it('deleted rows leave every read, and come back in their places with their results', async () => {
  const { table, column, rowIds, workspaceId } = await enrichedTable(5);
  const before = await page(table.id);
  const gone = [rowIds[1], rowIds[3]] as number[];
  expect(await deleteRows(db.pool, table.id, gone)).toBe(2);
  const { rows: seqs } = await db.pool.query(
    'select max(seq)::int as seq from table_changes where table_id = $1',
    [table.id],
  );
  expect((await page(table.id)).map((r) => r.id)).toEqual(
    before.map((r) => r.id).filter((id) => !gone.includes(id)),
  );
  expect((await getTable(db.pool, table.id, workspaceId))?.rowCount).toBe(3);
  const searched = await queryRows(db.pool, { tableId: table.id, query: { q: 'value-2', limit: 100 } });
  expect(searched.rows).toEqual([]);
  expect(await trashCounts(table.id)).toEqual({ rows: 2, columns: 0, cells: 2 });

  expect(await restoreRows(db.pool, table.id, gone)).toBe(2);
  const after = await page(table.id);
  // Same ids, positions, input values, and cells with the same status and value.
  const strip = (rows: typeof before) =>
    rows.map((r) => ({
      ...r,
      cells: Object.fromEntries(
        Object.entries(r.cells).map(([k, c]) => [k, { status: c.status, value: c.value }]),
      ),
    }));
  expect(strip(after)).toEqual(strip(before));
  expect(after.map((r) => r.cells[String(column.id)]?.status)).toEqual(Array(5).fill('done'));
  expect(await trashCounts(table.id)).toEqual({ rows: 0, columns: 0, cells: 0 });
  // Restored rows and cells take new seqs, so the feed sends them to every watcher.
  const { rows: fed } = await db.pool.query(
    `select (select count(*) from rows where table_id = $1 and seq > $2)::int as rows,
            (select count(*) from cells where table_id = $1 and seq > $2)::int as cells`,
    [table.id, seqs[0].seq],
  );
  expect(fed[0]).toEqual({ rows: 2, cells: 2 });
  // A second restore (another viewer's undo) finds nothing and changes nothing.
  expect(await restoreRows(db.pool, table.id, gone)).toBe(0);
  expect((await page(table.id)).length).toBe(5);
});

it('a cell queued when its row was deleted comes back idle, and its run does not wait for it', async () => {
  const { table, column, rowIds } = await seedTable(db, { rows: 3 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  await deleteRows(db.pool, table.id, [rowIds[0] as number]);
  expect(await restoreRows(db.pool, table.id, [rowIds[0] as number])).toBe(1);
  const { rows } = await db.pool.query(
    'select status, run_id from cells where column_id = $1 and row_id = $2',
    [column.id, rowIds[0]],
  );
  expect(rows).toEqual([{ status: 'idle', run_id: null }]);
  const { rows: runs } = await db.pool.query('select total from runs where id = $1', [run.id]);
  expect(runs[0].total).toBe(2);
});

it('a deleted column comes back with its cells; a name taken since is a conflict naming the field', async () => {
  const { table, column, rowIds } = await enrichedTable(4);
  const values = async () => (await page(table.id)).map((r) => r.cells[String(column.id)]?.value ?? null);
  const held = await values();
  expect(held.every((v) => v !== null)).toBe(true);

  expect(await deleteColumn(db.pool, table.id, column.id)).toBe(true);
  expect(await values()).toEqual([null, null, null, null]);
  expect(await trashCounts(table.id)).toEqual({ rows: 0, columns: 1, cells: 4 });

  const restored = await restoreColumn(db.pool, table.id, column.id);
  expect(restored).toMatchObject({ id: column.id, name: 'out', kind: 'enrichment', provider: 'mock' });
  expect(await values()).toEqual(held);
  expect(await restoreColumn(db.pool, table.id, column.id)).toBeUndefined();

  await deleteColumn(db.pool, table.id, column.id);
  await addColumn(db.pool, builtinProviders, { tableId: table.id, name: 'out', kind: 'input' });
  await expect(restoreColumn(db.pool, table.id, column.id)).rejects.toMatchObject({
    status: 409,
    path: 'name',
    message: expect.stringContaining('a column named "out" was added since'),
  });
  expect(rowIds.length).toBe(4);
});

it('a cell whose row and column were both deleted returns only when both are back', async () => {
  const { table, column, rowIds } = await enrichedTable(2);
  const row = rowIds[0] as number;
  await deleteRows(db.pool, table.id, [row]);
  await deleteColumn(db.pool, table.id, column.id);
  expect(await restoreRows(db.pool, table.id, [row])).toBe(1);
  expect((await page(table.id))[0]?.cells).toEqual({});
  await restoreColumn(db.pool, table.id, column.id);
  expect((await page(table.id)).map((r) => r.cells[String(column.id)]?.status)).toEqual(['done', 'done']);
  expect(await trashCounts(table.id)).toEqual({ rows: 0, columns: 0, cells: 0 });
});

it('the trash keeps 24 hours: older deletes are emptied by the next delete, and all of it goes with the table', async () => {
  const { table, column, rowIds, workspaceId } = await enrichedTable(3);
  await deleteRows(db.pool, table.id, [rowIds[0] as number]);
  for (const trash of ['row_trash', 'cell_trash'])
    await db.pool.query(`update ${trash} set deleted_at = now() - interval '25 hours' where table_id = $1`, [
      table.id,
    ]);
  await deleteRows(db.pool, table.id, [rowIds[1] as number]);
  expect(await trashCounts(table.id)).toEqual({ rows: 1, columns: 0, cells: 1 });
  expect(await restoreRows(db.pool, table.id, [rowIds[0] as number])).toBe(0);

  await deleteColumn(db.pool, table.id, column.id);
  expect(await deleteTable(db.pool, table.id, workspaceId)).toBe(true);
  expect(await trashCounts(table.id)).toEqual({ rows: 0, columns: 0, cells: 0 });
});

it('10,000 rows deleted and restored in one call each keep every value', async () => {
  const { table, rowIds } = await seedTable(db, { rows: 10_000 });
  expect(await deleteRows(db.pool, table.id, rowIds)).toBe(10_000);
  expect(await page(table.id)).toEqual([]);
  expect(await restoreRows(db.pool, table.id, rowIds)).toBe(10_000);
  const { rows } = await db.pool.query(
    `select count(*)::int as n, count(distinct data)::int as distinct_values from rows where table_id = $1`,
    [table.id],
  );
  expect(rows[0]).toEqual({ n: 10_000, distinct_values: 10_000 });
});
