import { PassThrough, Readable } from 'node:stream';
import type { TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addColumn, createTable, exportCsv, exportCsvStream, importCsv, insertRows } from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

async function exportText(
  tableId: number,
  pageSize?: number,
): Promise<{ text: string; rows: number; columns: string[] }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await exportCsv(db.pool, tableId, sink, { pageSize });
  return { text: Buffer.concat(chunks).toString('utf8'), ...result };
}

async function setCell(rowId: number, columnId: number, status: string, value: unknown): Promise<void> {
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value)
     select table_id, $1, $2, $3, $4::jsonb from rows where id = $1`,
    [rowId, columnId, status, value === undefined ? null : JSON.stringify(value)],
  );
}

describe('exportCsv', () => {
  it('writes input columns, then enrichment values flattened into the union of their keys; cells not done are empty', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'leads', inputColumns: ['name', 'email'] });
    const rowIds = await insertRows(db.pool, table.id, [
      { name: 'Ada, Countess', email: 'ada@example.com' },
      { name: 'Grace', email: 'grace@example.com' },
      { name: 'Bob "B"' },
      { name: 'Cy', email: 'cy@example.com' },
    ]);
    const [r1, r2, r3, r4] = rowIds as [number, number, number, number];
    const check = await addColumn(db.pool, builtinProviders, {
      tableId: table.id,
      name: 'check',
      kind: 'enrichment',
      provider: 'email',
    });
    const score = await addColumn(db.pool, builtinProviders, {
      tableId: table.id,
      name: 'score',
      kind: 'enrichment',
      provider: 'mock',
    });
    await setCell(r1, check.id, 'done', {
      valid: true,
      domain: 'example.com',
      tags: ['a', 'b'],
      geo: { country: 'UK' },
    });
    await setCell(r2, check.id, 'done', { valid: false, reason: 'bad' });
    await setCell(r3, check.id, 'error', null);
    await setCell(r4, check.id, 'queued', null);
    await setCell(r1, score.id, 'done', 0.5);
    await setCell(r2, score.id, 'done', 'high');
    await setCell(r3, score.id, 'skipped', null);

    const { text, rows, columns } = await exportText(table.id, 3);
    const records = parse(text) as string[][];
    expect(rows).toBe(4);
    expect(columns).toEqual(records[0]);
    const header = records[0] as string[];
    expect(header.slice(0, 2)).toEqual(['name', 'email']);
    // keys of row 1 come first (jsonb's key order), then keys only row 2 has
    expect(new Set(header.slice(2, -1))).toEqual(
      new Set(['check.valid', 'check.domain', 'check.tags', 'check.geo.country', 'check.reason']),
    );
    expect(header.indexOf('check.reason')).toBe(header.length - 2);
    expect(header.at(-1)).toBe('score');
    const byName = records.slice(1).map((record) => Object.fromEntries(header.map((h, i) => [h, record[i]])));
    expect(byName[0]).toEqual({
      name: 'Ada, Countess',
      email: 'ada@example.com',
      'check.valid': 'true',
      'check.domain': 'example.com',
      'check.tags': '["a","b"]',
      'check.geo.country': 'UK',
      'check.reason': '',
      score: '0.5',
    });
    expect(byName[1]).toMatchObject({
      'check.valid': 'false',
      'check.reason': 'bad',
      'check.domain': '',
      score: 'high',
    });
    // an error, a skipped and a queued cell are all empty
    expect(byName[2]).toMatchObject({
      name: 'Bob "B"',
      email: '',
      'check.valid': '',
      'check.reason': '',
      score: '',
    });
    expect(byName[3]).toMatchObject({ name: 'Cy', 'check.valid': '', score: '' });
  });

  it('follows row position across pages, not insertion order', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'ordered', inputColumns: ['n'] });
    const ids = await insertRows(
      db.pool,
      table.id,
      Array.from({ length: 25 }, (_, i) => ({ n: String(i + 1) })),
    );
    // move the first row to the end, and row 20 onto row 5's position (ties break by id: 5, then 20)
    await db.pool.query('update rows set position = 1000 where id = $1', [ids[0]]);
    await db.pool.query('update rows set position = 5 where id = $1', [ids[19]]);
    const { text } = await exportText(table.id, 4);
    const values = (parse(text) as string[][]).slice(1).map((r) => r[0]);
    const expected = ['2', '3', '4', '5', '20', ...Array.from({ length: 20 }, (_, i) => String(i + 6))];
    expected.splice(expected.lastIndexOf('20'), 1);
    expect(values).toEqual([...expected, '1']);
  });

  it('round-trips an imported CSV with quotes and line breaks; an enrichment column with no values is one empty column', async () => {
    const source = 'name,note\n"Lovelace, Ada","said ""hi""\nthen left"\nGrace,\n';
    const imported = await importCsv(db.pool, { workspaceId, name: 'rt', stream: Readable.from([source]) });
    await addColumn(db.pool, builtinProviders, {
      tableId: imported.table.id,
      name: 'later',
      kind: 'enrichment',
      provider: 'mock',
    });
    const chunks: Buffer[] = [];
    for await (const chunk of exportCsvStream(db.pool, imported.table.id)) chunks.push(chunk as Buffer);
    expect(parse(Buffer.concat(chunks).toString('utf8'))).toEqual([
      ['name', 'note', 'later'],
      ['Lovelace, Ada', 'said "hi"\nthen left', ''],
      ['Grace', '', ''],
    ]);
  });

  it('refuses a table that does not exist', async () => {
    await expect(exportText(987654)).rejects.toMatchObject({ code: 'not_found' });
  });
});
