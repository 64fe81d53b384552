import { readFileSync } from 'node:fs';
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

  it("writes each page with its own row's values while the next page's values are read ahead", async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'paged', inputColumns: ['n'] });
    const ids = await insertRows(
      db.pool,
      table.id,
      Array.from({ length: 11 }, (_, i) => ({ n: String(i + 1) })),
    );
    const double = await addColumn(db.pool, builtinProviders, {
      tableId: table.id,
      name: 'double',
      kind: 'enrichment',
      provider: 'mock',
    });
    // every row but the 7th has its value; pages of 3 rows end on a short one
    for (const [index, id] of ids.entries()) {
      if (index !== 6) await setCell(id, double.id, 'done', (index + 1) * 2);
    }
    const { text, rows } = await exportText(table.id, 3);
    expect(rows).toBe(11);
    const expected = ids.map((_, i) => [String(i + 1), i === 6 ? '' : String((i + 1) * 2)]);
    expect(parse(text)).toEqual([['n', 'double'], ...expected]);
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
    for await (const chunk of await exportCsvStream(db.pool, imported.table.id)) chunks.push(chunk as Buffer);
    expect(parse(Buffer.concat(chunks).toString('utf8'))).toEqual([
      ['name', 'note', 'later'],
      ['Lovelace, Ada', 'said "hi"\nthen left', ''],
      ['Grace', '', ''],
    ]);
  });

  it('reads each page with two statements served by the cells key, whatever other tables hold', async () => {
    // another table with 60,000 done cells: the old export scanned them for every row it wrote
    const other = await createTable(db.pool, { workspaceId, name: 'other', inputColumns: ['x'] });
    const otherColumn = await addColumn(db.pool, builtinProviders, {
      tableId: other.id,
      name: 'o',
      kind: 'enrichment',
      provider: 'mock',
    });
    await db.pool.query(
      `with r as (insert into rows (table_id, position, data) select $1, g, '{}' from generate_series(1, 60000) g returning id)
       insert into cells (table_id, row_id, column_id, status, value) select $1, r.id, $2, 'done', '1' from r`,
      [other.id, otherColumn.id],
    );
    const table = await createTable(db.pool, { workspaceId, name: 'keyed', inputColumns: ['n'] });
    const ids = await insertRows(
      db.pool,
      table.id,
      Array.from({ length: 2500 }, (_, i) => ({ n: String(i) })),
    );
    const columnIds: number[] = [];
    for (const name of ['a', 'b']) {
      const column = await addColumn(db.pool, builtinProviders, {
        tableId: table.id,
        name,
        kind: 'enrichment',
        provider: 'mock',
      });
      columnIds.push(column.id);
      await db.pool.query(
        `insert into cells (table_id, row_id, column_id, status, value)
         select $1, id, $2, 'done', to_jsonb(id) from rows where table_id = $1`,
        [table.id, column.id],
      );
    }
    // a row moved to the front: its page holds scattered ids and is read id by id
    await db.pool.query('update rows set position = -1 where id = $1', [ids[2000]]);
    await db.pool.query('analyze cells');

    const names: string[] = [];
    const query = db.pool.query.bind(db.pool);
    const spy = (async (...args: Parameters<typeof query>) => {
      const name = (args[0] as { name?: string }).name;
      if (name) names.push(name);
      return query(...args);
    }) as typeof query;
    db.pool.query = spy;
    let text: string;
    try {
      text = (await exportText(table.id, 1000)).text;
    } finally {
      db.pool.query = query;
    }
    const records = parse(text) as string[][];
    expect(records.length).toBe(2501);
    expect(records[1]).toEqual(['2000', String(ids[2000]), String(ids[2000])]);
    expect(records[2]).toEqual(['0', String(ids[0]), String(ids[0])]);
    // 3 pages: one rows statement and one cells statement each (plus the empty page after a full one)
    expect(names.filter((n) => n === 'glaze_export_page')).toHaveLength(3);
    expect(names.filter((n) => n === 'glaze_export_cells_ids')).toHaveLength(1);
    expect(names.filter((n) => n === 'glaze_export_cells_range')).toHaveLength(2);

    const plan = async (sql: string, values: unknown[]) => {
      const { rows } = await db.pool.query(`explain (format json) ${sql}`, values);
      return JSON.stringify(rows[0]['QUERY PLAN']);
    };
    const statement = (file: string) =>
      readFileSync(new URL(`../src/csv/sql/${file}.sql`, import.meta.url), 'utf8');
    const range = await plan(statement('export-cells-range'), [columnIds, ids[0], ids[999]]);
    const scattered = await plan(statement('export-cells-ids'), [columnIds, ids.slice(0, 1000)]);
    // Both are index scans bound by this table's column ids: other tables' cells are never read.
    // The range is bound on row_id too; for 1,000 scattered ids among this small table's 5,000
    // cells Postgres may rather filter them, which reads this table's cells only.
    for (const found of [range, scattered]) {
      expect(found).toContain('"Index Name":"cells_pkey"');
      expect(found).toMatch(/"Index Cond":"\(+column_id = ANY/);
      expect(found).not.toContain('Seq Scan');
    }
    expect(range).toMatch(/"Index Cond":"\(\(column_id = ANY[^"]*row_id >=/);
  });

  it('refuses a table that does not exist', async () => {
    await expect(exportText(987654)).rejects.toMatchObject({ code: 'not_found' });
  });
});
