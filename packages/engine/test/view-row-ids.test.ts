import { expect, it } from 'vitest';
import { createView, deleteView, getView, listViews, updateRows, updateView, viewRowIds } from '../src/index';
import { seedTable, useTestDatabase } from './helpers';

/** Views in the engine: the rows a view matches now, its cap, and two saves racing for one name. */
const db = useTestDatabase();

it('matches the rows its filter and search select now, and follows the rows as they change', async () => {
  const { workspaceId, table, rowIds } = await seedTable(db, { rows: 30 });
  const view = await createView(db.pool, {
    workspaceId,
    tableId: table.id,
    name: 'ones',
    // value-1, value-10 … value-19: ends in 1 or starts with "value-1"; search narrows to the 1x.
    query: { filter: { column: 'input', op: 'startsWith', value: 'VALUE-1' }, q: 'ue-1' },
  });
  if (!view) throw new Error('no view');
  const expected = rowIds.filter((_, i) => String(i + 1).startsWith('1'));
  expect(await viewRowIds(db.pool, { viewId: view.id, tableId: table.id, workspaceId })).toEqual(expected);
  await updateRows(db.pool, table.id, [{ id: expected[0] as number, values: { input: 'other' } }]);
  expect(await viewRowIds(db.pool, { viewId: view.id, tableId: table.id, workspaceId })).toEqual(
    expected.slice(1),
  );
  await expect(
    viewRowIds(db.pool, { viewId: view.id, tableId: table.id, workspaceId, field: 'scope.view', max: 5 }),
  ).rejects.toMatchObject({
    status: 400,
    path: 'scope.view',
    message: 'scope.view: matches more than 5 rows; narrow it',
  });
});

it('is invisible to another workspace, and answers 404 there', async () => {
  const mine = await seedTable(db, { rows: 2 });
  const theirs = await seedTable(db, { rows: 2 });
  const view = await createView(db.pool, {
    workspaceId: mine.workspaceId,
    tableId: mine.table.id,
    name: 'v',
  });
  if (!view) throw new Error('no view');
  expect(await getView(db.pool, view.id, theirs.workspaceId)).toBeUndefined();
  expect(await listViews(db.pool, mine.table.id, theirs.workspaceId)).toEqual([]);
  expect(
    await createView(db.pool, { workspaceId: theirs.workspaceId, tableId: mine.table.id, name: 'x' }),
  ).toBeUndefined();
  expect(
    await updateView(db.pool, {
      workspaceId: theirs.workspaceId,
      tableId: mine.table.id,
      viewId: view.id,
      name: 'y',
    }),
  ).toBeUndefined();
  expect(
    await deleteView(db.pool, { workspaceId: theirs.workspaceId, tableId: mine.table.id, viewId: view.id }),
  ).toBe(false);
  await expect(
    viewRowIds(db.pool, { viewId: view.id, tableId: theirs.table.id, workspaceId: theirs.workspaceId }),
  ).rejects.toMatchObject({ status: 404, path: 'view' });
  expect((await getView(db.pool, view.id, mine.workspaceId))?.name).toBe('v');
});

it('lets one of ten saves racing for the same name win; the others get a 409 naming name', async () => {
  const { workspaceId, table } = await seedTable(db, { rows: 1 });
  const saves = await Promise.allSettled(
    Array.from({ length: 10 }, () => createView(db.pool, { workspaceId, tableId: table.id, name: 'Same' })),
  );
  expect(saves.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
  for (const s of saves.filter((s) => s.status === 'rejected'))
    expect((s as PromiseRejectedResult).reason).toMatchObject({ status: 409, path: 'name' });
  expect(await listViews(db.pool, table.id, workspaceId)).toHaveLength(1);
});
