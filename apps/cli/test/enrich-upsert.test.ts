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
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-upsert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const env = () => ({ DATABASE_URL: db.url, GLAZE_DATA_DIR: path.join(dir, '.glaze') });

describe('glaze enrich --table --key', () => {
  it('updates rows with a known key, appends new ones, prints the counts and runs only what changed', async () => {
    const first = path.join(dir, 'leads.csv');
    await writeFile(first, 'name,email\nAda,ada@example.com\nGrace,grace@navy.mil\nBob,bob@example.com\n');
    const kept = await runGlaze(
      ['enrich', first, '-c', 'check=email', '--keep', '-o', path.join(dir, 'a.csv')],
      env(),
    );
    expect(kept.code).toBe(0);
    const tableId = Number(/kept table (\d+)/.exec(kept.stdout)?.[1]);
    expect(tableId).toBeGreaterThan(0);

    // Grace's address changed, Ada's did not, Zed is new
    const more = path.join(dir, 'more.csv');
    await writeFile(more, 'name,email\nAda,ada@example.com\nGrace,grace@example.com\nZed,zed@example.org\n');
    const out = path.join(dir, 'b.csv');
    const result = await runGlaze(
      ['enrich', more, '--table', String(tableId), '--key', 'name', '-o', out],
      env(),
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('upsert by name: 1 new, 1 updated, 1 unchanged; 1 cells stale');
    expect(result.stdout).toContain(`kept table ${tableId}`);

    const records = parse(await readFile(out, 'utf8')) as string[][];
    const header = records[0] as string[];
    const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(rows.map((r) => [r.name, r.email, r['check.email'], r['check.domain']])).toEqual([
      ['Ada', 'ada@example.com', 'ada@example.com', 'example.com'],
      ['Grace', 'grace@example.com', 'grace@example.com', 'example.com'],
      ['Bob', 'bob@example.com', 'bob@example.com', 'example.com'],
      ['Zed', 'zed@example.org', 'zed@example.org', 'example.org'],
    ]);
    // the stale cell ran again, then the new row: two runs of one cell each, not four cells
    const { rows: runs } = await db.pool.query(
      `select scope, total from runs r join columns c on c.id = r.column_id
       where c.table_id = $1 order by r.id`,
      [tableId],
    );
    expect(runs).toEqual([
      { scope: 'all', total: 3 },
      { scope: 'stale', total: 1 },
      { scope: 'empty', total: 1 },
    ]);
  });

  it('refuses --key without --table, before touching the database', async () => {
    const file = path.join(dir, 'x.csv');
    await writeFile(file, 'name\nA\n');
    const result = await runGlaze(['enrich', file, '--key', 'name', '-c', 'm=mock'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--key needs --table <id>/);
  });
});
