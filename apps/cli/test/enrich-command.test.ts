import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

let db: TestDatabase;
let dir: string;
let input: string;
const csv =
  '\uFEFFname,email,company\r\n' +
  '"Lovelace, Ada",ada@example.com,"Analytical ""Engines"""\r\n' +
  'Grace,grace@navy.mil,Navy\r\n' +
  'Nobody,,None\r\n' +
  'Bad,not-an-email,Acme\r\n';
// Nothing answers here: a command that fails on this URL did not get as far as the database.
// enrich makes the secret key before it reads the CSV: without GLAZE_DATA_DIR that key would land in
// the checkout's .glaze, where it changes what the next `npm start` there does.
const unreachable = () => ({
  DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
  GLAZE_DATA_DIR: path.join(dir, '.glaze'),
});

beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-enrich-'));
  input = path.join(dir, 'leads.csv');
  await writeFile(input, csv);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const env = () => ({ DATABASE_URL: db.url, GLAZE_DATA_DIR: path.join(dir, '.glaze') });

describe('glaze enrich', () => {
  it('enriches a CSV into a new file: flattened values, a summary, the input untouched, no table left', async () => {
    const out = path.join(dir, 'out.csv');
    const result = await runGlaze(
      [
        'enrich',
        input,
        '--column',
        'check=email',
        '--column',
        'm=mock:{"latencyMs":5,"input":"{{check.email}}"}',
        '-o',
        out,
      ],
      env(),
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(await readFile(input, 'utf8')).toBe(csv);

    // the input's BOM and CRLF line ends are kept; the file's writing showed progress
    const text = await readFile(out, 'utf8');
    expect(text.startsWith('\uFEFFname,email,company,')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.indexOf('\r\n') + 1);
    expect(result.stderr).toMatch(/writing out\.csv: 4\/4 rows \(100%\)/);
    const records = parse(text, { bom: true }) as string[][];
    const header = records[0] as string[];
    expect(header.slice(0, 3)).toEqual(['name', 'email', 'company']);
    expect(header).toEqual(
      expect.arrayContaining(['check.valid', 'check.email', 'check.domain', 'check.reason']),
    );
    expect(header.slice(-3)).toEqual(['m.hash', 'm.input', 'm.length']);
    const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      name: 'Lovelace, Ada',
      company: 'Analytical "Engines"',
      'check.valid': 'true',
      'check.domain': 'example.com',
      'm.input': 'ada@example.com',
      'm.length': '15',
    });
    // a blank email is skipped: empty cells, and the column reading it is skipped too
    expect(rows[2]).toMatchObject({ name: 'Nobody', email: '', 'check.valid': '', 'm.input': '' });
    expect(rows[3]).toMatchObject({
      'check.valid': 'false',
      'check.reason': 'address must contain one @ character',
      'm.input': '',
    });

    expect(result.stdout).toMatch(/enriched 4 rows of leads\.csv/);
    expect(result.stdout).toMatch(/check \(email\)\s+3 done, 0 error, 1 skipped/);
    expect(result.stdout).toMatch(/m \(mock\)\s+2 done, 0 error, 2 skipped/);
    const tables = await db.pool.query('select count(*)::int as n from tables');
    expect(tables.rows[0].n).toBe(0);
  });

  it('writes <in>.enriched.csv by default, reports errors with a sample, and keeps the table with --keep', async () => {
    const result = await runGlaze(
      ['enrich', input, '-c', 'm=mock:{"input":"{{name}}","failRate":1}', '--keep'],
      env(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/m \(mock\)\s+0 done, 4 error, 0 skipped/);
    expect(result.stdout).toMatch(/e\.g\. row 1: mock: input "Lovelace, Ada" is configured to fail/);
    const kept = result.stdout.match(/kept table (\d+)/);
    expect(kept).not.toBeNull();
    const tables = await db.pool.query('select name from tables where id = $1', [Number(kept?.[1])]);
    expect(tables.rows).toEqual([{ name: 'leads.csv' }]);
    const records = parse(await readFile(path.join(dir, 'leads.enriched.csv'), 'utf8'), {
      bom: true,
    }) as string[][];
    expect(records[0]).toEqual(['name', 'email', 'company', 'm']);
    expect(records.slice(1).map((r) => r[3])).toEqual(['', '', '', '']);
  });

  it.each([
    [['-c', 'x=nope'], /columns\[0\]\.provider: unknown provider "nope"; known providers: .*email.*mock/],
    [
      ['-c', 'e=email', '-c', 'm=mock:{"latencyMs":10'],
      /columns\[1\]\.config: not valid JSON \(.*position 15.*\)/,
    ],
    [
      ['-c', 'e=email', '-c', 'm=mock:{"latencyMs":"fast"}'],
      /columns\[1\]\.config\.latencyMs: Latency ms must be a number/,
    ],
    [
      ['-c', 'u=url'],
      /columns\[0\] \(u=url\): \{\{url\}\} reads column "url", .*its columns: name, email, company/,
    ],
    [
      ['-c', 'e=email:{"input":"{{Work Email}}"}'],
      /reads column "Work Email", which leads\.csv does not have/,
    ],
    [['-c', 'email=email'], /columns\[0\]: "email" is already a column of leads\.csv/],
    [['-c', 'e=email', '-o', 'INPUT'], /output: -o .*leads\.csv is the input file/],
    [[], /add at least one --column/],
  ])('refuses bad input before touching the database: %j', async (args, message) => {
    const result = await runGlaze(
      ['enrich', input, ...args.map((a) => (a === 'INPUT' ? input : a))],
      unreachable(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/cannot reach the database/);
    expect(await readFile(input, 'utf8')).toBe(csv);
  });

  it('names the line of a malformed CSV and leaves no table behind', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'name,email\nAda,ada@example.com\nGrace,"grace@navy.mil\nBob,bob@example.com\n');
    const result = await runGlaze(['enrich', bad, '-c', 'e=email'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^glaze: line 3: unclosed quote/m);
    const tables = await db.pool.query(`select count(*)::int as n from tables where name = 'bad.csv'`);
    expect(tables.rows[0].n).toBe(0);
  });

  it('prints its help', async () => {
    const result = await runGlaze(['enrich', '--help'], unreachable());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/usage: glaze enrich <in\.csv> --column 'NAME=PROVIDER\[:JSON config\]'/);
    expect(result.stdout).toMatch(/PROVIDER is one of: .*email.*mock/);
  });
});
