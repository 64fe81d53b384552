import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expected, headerCases, valueCases } from '../../../packages/engine/test/fixtures/formula-cases';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

let db: TestDatabase;
let dir: string;
let input: string;

// The formula cases as a CSV: their values in `value`, their names as headers. The column `@m`
// echoes each value through the mock provider, so provider output and its `@m.*` headers count too.
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-enrich-formulas-'));
  input = path.join(dir, 'formulas.csv');
  const header = ['value', ...headerCases.map((c) => c.value)];
  const rows = valueCases.map((c) => [c.value, ...headerCases.map(() => 'x')]);
  // Every field quoted, `"` doubled (RFC 4180): a hand-written CSV, so the input owes nothing to the
  // writer under test.
  const line = (fields: string[]) => fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',');
  await writeFile(input, `${[header, ...rows].map(line).join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

async function enrich(out: string, ...flags: string[]) {
  const result = await runGlaze(
    ['enrich', input, '--column', '@m=mock:{"input":"{{value}}"}', '-o', out, ...flags],
    { DATABASE_URL: db.url, GLAZE_DATA_DIR: path.join(dir, '.glaze') },
  );
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.code).toBe(0);
  const [header, ...rows] = parse(await readFile(out, 'utf8')) as string[][];
  return { header: header as string[], column: (i: number) => rows.map((r) => r[i]) };
}

// The mock skips blank inputs: their cells are empty.
const echoed = (text: (c: (typeof valueCases)[number]) => string) =>
  valueCases.map((c) => (c.value.trim() === '' ? '' : text(c)));

describe('glaze enrich against formula injection', () => {
  it(`prefixes ' to the ${valueCases.length} values and ${headerCases.length} headers a spreadsheet would run, and to provider output`, async () => {
    const { header, column } = await enrich(path.join(dir, 'safe.csv'));
    expect(header).toEqual(['value', ...headerCases.map(expected), "'@m.hash", "'@m.input", "'@m.length"]);
    expect(column(0)).toEqual(valueCases.map(expected));
    expect(column(header.indexOf("'@m.input"))).toEqual(echoed(expected));
  });

  it('writes everything as it is with --raw', async () => {
    const { header, column } = await enrich(path.join(dir, 'raw.csv'), '--raw');
    expect(header).toEqual(['value', ...headerCases.map((c) => c.value), '@m.hash', '@m.input', '@m.length']);
    expect(column(0)).toEqual(valueCases.map((c) => c.value));
    expect(column(header.indexOf('@m.input'))).toEqual(echoed((c) => c.value));
  });
});
