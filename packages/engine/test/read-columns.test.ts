import { Readable } from 'node:stream';
import { type AnyProvider, defineProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addColumn, getRun, importCsv, startRun } from '../src/index';
import { cellsOf, createWorkspace, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

// twelve chunks: a run's first claims fetch whole rows (its context is read beside them), the later
// ones only what the cells read
const rows = 6_000;
const wide = 60;

/** Name, Email, Key (the name of another column: c7) and c0…c59, every value unique to its row. */
function wideCsv(): string {
  const header = ['Name', 'Email', 'Key', ...Array.from({ length: wide }, (_, i) => `c${i}`)];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++)
    lines.push(
      [`Person ${r}`, `p${r}@example.com`, 'c7', ...header.slice(3).map((c) => `${c}-${r}`)].join(','),
    );
  return `${lines.join('\n')}\n`;
}

/** Answers with the row's column names it was given, so the test sees what each cell read. */
const keysProvider: AnyProvider = defineProvider({
  id: 'keys',
  group: 'testing',
  description: 'the names of the columns a cell was given',
  configSchema: z.object({ input: z.string() }),
  templates: (config) => [config.input],
  enrich: async ({ config, row, render }) => ({
    kind: 'ok',
    value: { input: render(config.input), keys: Object.keys(row).sort() },
  }),
});

const providers = new Map([...builtinProviders, ['keys', keysProvider]]);

/** The column lists the cells were given: `whole` for every column of the table. */
function givenKeys(cells: Array<{ value: { keys: string[] } }>): Set<string> {
  return new Set(
    cells.map((cell) => (cell.value.keys.length === 3 + wide ? 'whole' : cell.value.keys.join())),
  );
}

async function runColumn(tableId: number, name: string, provider: string, config: Record<string, unknown>) {
  const column = await addColumn(db.pool, providers, { tableId, name, kind: 'enrichment', provider, config });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  await waitForRun(db, run.id, 60_000);
  expect((await getRun(db.pool, run.id))?.counts).toMatchObject({ done: rows, error: 0 });
  return cellsOf(db, column.id);
}

describe('a cell is given the columns its config reads', () => {
  it('on a wide table: those its templates name, the whole row for a formula that reads any', async () => {
    const workspaceId = await createWorkspace(db);
    const { table } = await importCsv(db.pool, {
      workspaceId,
      name: 'wide',
      stream: Readable.from([Buffer.from(wideCsv(), 'utf8')]),
    });
    const worker = await startTestWorker(db, { providers });
    try {
      const keyed = await runColumn(table.id, 'Keys', 'keys', { input: '{{Email}} / {{c3}}' });
      keyed.forEach((cell, r) => {
        expect(cell.value.input).toBe(`p${r}@example.com / c3-${r}`);
      });
      // the run's first claims (sent beside the read of its context) had whole rows, the later ones
      // only Email and c3
      expect(givenKeys(keyed)).toEqual(new Set(['Email,c3', 'whole']));
      expect(keyed.slice(-1_000).every((cell) => cell.value.keys.join() === 'Email,c3')).toBe(true);

      // `row[Key]` may read any column: every cell gets them all (c7, named by the row's Key)
      const dynamic = await runColumn(table.id, 'Picked', 'formula', { expression: 'row[Key] + "!"' });
      expect(dynamic.map((cell) => cell.value)).toEqual(Array.from({ length: rows }, (_, r) => `c7-${r}!`));

      // a runIf's columns are read too; a runIf reading the whole row gives the cells the whole row
      const guarded = await runColumn(table.id, 'Guarded', 'keys', {
        input: '{{Name}}',
        runIf: 'c9 != "" && row["c11"] != ""',
      });
      expect(givenKeys(guarded)).toEqual(new Set(['Name,c11,c9', 'whole']));
      const anyColumn = await runColumn(table.id, 'Any', 'keys', {
        input: '{{Name}}',
        runIf: 'row[Key] != ""',
      });
      expect(givenKeys(anyColumn)).toEqual(new Set(['whole']));
    } finally {
      await worker.stop();
    }
  });

  it('on a narrow table: whole rows (picking out a few columns would cost more than it saves)', async () => {
    const workspaceId = await createWorkspace(db);
    const csv = ['Name,Email,Key,c0', ...Array.from({ length: rows }, (_, r) => `P${r},p${r}@x.io,c0,v${r}`)];
    const { table } = await importCsv(db.pool, {
      workspaceId,
      name: 'narrow',
      stream: Readable.from([Buffer.from(`${csv.join('\n')}\n`, 'utf8')]),
    });
    const worker = await startTestWorker(db, { providers });
    try {
      const keyed = await runColumn(table.id, 'Keys', 'keys', { input: '{{Email}}' });
      expect(new Set(keyed.map((cell) => cell.value.keys.join()))).toEqual(new Set(['Email,Key,Name,c0']));
    } finally {
      await worker.stop();
    }
  });
});
