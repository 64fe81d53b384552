import type { AnyProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { addColumn, createTable, getRun, insertRows, startRun, updateColumn } from '../src/index';
import { createWorkspace, scriptedProvider, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const calls: string[] = [];
const echo = scriptedProvider('echo', async (input) => {
  calls.push(input);
  return { kind: 'ok', value: `seen ${input}`, cost: 1 };
});
const providers = new Map<string, AnyProvider>([...builtinProviders, ['echo', echo]]);

async function scoredTable() {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, { workspaceId, name: 'leads', inputColumns: ['Name', 'Score'] });
  await insertRows(db.pool, table.id, [
    { Name: 'low', Score: 10 },
    { Name: 'high', Score: 90 },
    { Name: 'edge', Score: 50 },
    { Name: 'none' },
  ]);
  return table;
}

it('refuses a runIf that does not compile, naming config.runIf and the problem', async () => {
  const table = await scoredTable();
  const save = addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'bad',
    kind: 'enrichment',
    provider: 'echo',
    config: { input: '{{Name}}', runIf: 'Score >' },
  });
  await expect(save).rejects.toThrow(/^config\.runIf: Run if: expression "Score >": /);
  const assignment = addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'bad',
    kind: 'enrichment',
    provider: 'echo',
    config: { input: '{{Name}}', runIf: 'Score = 5' },
  });
  await expect(assignment).rejects.toThrow(
    'config.runIf: Run if: expression "Score = 5": assignment is not allowed',
  );
  await expect(
    addColumn(db.pool, providers, {
      tableId: table.id,
      name: 'bad',
      kind: 'enrichment',
      provider: 'echo',
      config: { input: '{{Name}}', runIf: 42 },
    }),
  ).rejects.toThrow(/^config\.runIf: /);
});

it('keeps runIf, autoRun and cacheTtlSeconds in the stored config next to the provider fields', async () => {
  const table = await scoredTable();
  const column = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'kept',
    kind: 'enrichment',
    provider: 'echo',
    config: { input: '{{Name}}', runIf: 'Score >= 50', autoRun: false, cacheTtlSeconds: 60 },
  });
  expect(column.config).toEqual({
    input: '{{Name}}',
    runIf: 'Score >= 50',
    autoRun: false,
    cacheTtlSeconds: 60,
  });
  const updated = await updateColumn(db.pool, providers, {
    tableId: table.id,
    columnId: column.id,
    config: { input: '{{Name}}', runIf: 'Score > 1' },
  });
  expect(updated?.config).toEqual({ input: '{{Name}}', runIf: 'Score > 1' });
  await expect(
    updateColumn(db.pool, providers, {
      tableId: table.id,
      columnId: column.id,
      config: { input: '{{Name}}', runIf: 'Score >' },
    }),
  ).rejects.toThrow(/^config\.runIf: /);
});

it('ends cells whose runIf is false as skipped, with no provider call and no cost', async () => {
  const table = await scoredTable();
  const column = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'enriched',
    kind: 'enrichment',
    provider: 'echo',
    config: { input: '{{Name}}', runIf: 'Score >= 50' },
  });
  calls.length = 0;
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id)).toBe('done');
    const progress = await getRun(db.pool, run.id);
    expect(progress?.counts).toMatchObject({ done: 2, skipped: 2, error: 0 });
    expect(progress?.cost).toBe(2);
  } finally {
    await worker.stop();
  }
  expect(calls.sort()).toEqual(['edge', 'high']);
  const { rows } = await db.pool.query(
    `select r.data, c.status, c.error, c.cost, c.tries from cells c join rows r on r.id = c.row_id
     where c.column_id = $1 order by r.position`,
    [column.id],
  );
  expect(rows.map((r) => r.status)).toEqual(['skipped', 'done', 'done', 'skipped']);
  expect(rows[0]).toMatchObject({ error: 'runIf is false: Score >= 50', cost: null, tries: 0 });
  expect(rows[3]).toMatchObject({ error: 'runIf is false: Score >= 50', cost: null, tries: 0 });
});

it('a runIf that fails to evaluate ends the cell in error naming config.runIf, without a call', async () => {
  const table = await scoredTable();
  const column = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'strict',
    kind: 'enrichment',
    provider: 'echo',
    // compiles, but Name.missing is undefined for every row, so .length throws
    config: { input: '{{Name}}', runIf: 'Name.missing.length > 0' },
  });
  calls.length = 0;
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  expect(calls).toEqual([]);
  const { rows } = await db.pool.query('select status, error from cells where column_id = $1', [column.id]);
  expect(rows).toHaveLength(4);
  for (const row of rows) {
    expect(row.status).toBe('error');
    expect(row.error).toMatch(/^config\.runIf: expression "Name\.missing\.length > 0": /);
  }
});
