import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { addColumn, createTable, updateColumn } from '../src/index';
import { createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

/** A misspelt setting is refused, naming it and what the provider takes, instead of being dropped. */
it("refuses a setting the column's provider does not take, on add and on update, and names the ones it does", async () => {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, { workspaceId, name: 'Leads', inputColumns: ['Email'] });
  const add = (config: Record<string, unknown>) =>
    addColumn(db.pool, builtinProviders, {
      tableId: table.id,
      name: 'Echo',
      kind: 'enrichment',
      provider: 'mock',
      config,
    });
  await expect(add({ input: '{{Email}}', minLatencyMs: 20 })).rejects.toMatchObject({
    code: 'validation_failed',
    path: 'config.minLatencyMs',
    message: expect.stringMatching(
      /mock provider has no setting "minLatencyMs"; its settings: input, latencyMs, jitterMs/,
    ),
  });
  // the run options beside the provider's own settings are known too
  const column = await add({ input: '{{Email}}', latencyMs: 20, runIf: 'Email != ""', autoRun: false });
  expect(column.config).toMatchObject({ latencyMs: 20, runIf: 'Email != ""', autoRun: false });
  const update = (config: Record<string, unknown>) =>
    updateColumn(db.pool, builtinProviders, { tableId: table.id, columnId: column.id, config });
  await expect(update({ input: '{{Email}}', failrate: 0.5 })).rejects.toMatchObject({
    path: 'config.failrate',
  });
  // a rename validates the stored config again, which it keeps whatever the provider's version says
  await db.pool.query(`update columns set config = config || '{"retired": 1}' where id = $1`, [column.id]);
  const renamed = await updateColumn(db.pool, builtinProviders, {
    tableId: table.id,
    columnId: column.id,
    name: 'Echo 2',
    provider: 'mock',
  });
  expect(renamed?.name).toBe('Echo 2');
});
