import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { addColumn, runAutoColumns, startRun } from '../src/index';
import { seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

const runsOf = async (columnId: number) =>
  (await db.pool.query('select total from runs where column_id = $1 order by id', [columnId])).rows;

it('refuses row ids of another table with a 404 naming them, starting nothing', async () => {
  const mine = await seedTable(db, { rows: 2 });
  const theirs = await seedTable(db, { rows: 3 });
  const scope = { rowIds: [mine.rowIds[0] as number, ...theirs.rowIds.slice(0, 2)] };
  const started = startRun(db.pool, { columnId: mine.column.id, scope });
  await expect(started).rejects.toMatchObject({
    status: 404,
    path: 'scope.rowIds',
    message: `scope.rowIds: rows ${theirs.rowIds.slice(0, 2).join(', ')} are not rows of table ${mine.table.id}`,
  });
  expect(await runsOf(mine.column.id)).toEqual([]);
  // Its own rows start as before.
  const run = await startRun(db.pool, { columnId: mine.column.id, scope: { rowIds: mine.rowIds } });
  expect(run.total).toBe(2);
});

it('an auto-run over nothing creates no run', async () => {
  const { table, rowIds } = await seedTable(db, { rows: 3 });
  const auto = await addColumn(db.pool, builtinProviders, {
    tableId: table.id,
    name: 'auto',
    kind: 'enrichment',
    provider: 'mock',
    config: { autoRun: true },
  });
  // No worker: the first auto-run leaves the cells queued, so a second has nothing to do.
  expect((await runAutoColumns(db.pool, table.id, rowIds)).map((r) => r.total)).toEqual([3]);
  expect(await runAutoColumns(db.pool, table.id, rowIds)).toEqual([]);
  expect(await runsOf(auto.id)).toEqual([{ total: 3 }]);
  // A run a person asks for over nothing is still created, and born done.
  const asked = await startRun(db.pool, { columnId: auto.id, scope: { rowIds } });
  expect(asked).toMatchObject({ total: 0, status: 'done' });
});
