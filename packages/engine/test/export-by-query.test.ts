import { PassThrough } from 'node:stream';
import { AppError } from '@glaze/core';
import { createPool } from '@glaze/db';
import type { TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addColumn,
  createTable,
  type ExportCsvOptions,
  exportCsv,
  exportCsvStream,
  insertRows,
} from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let tableId: number;
beforeAll(async () => {
  db = await testDatabase();
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, {
    workspaceId,
    name: 'leads',
    inputColumns: ['Name', 'City', 'Score'],
  });
  tableId = table.id;
  // 1,200 rows: Zürich every third, score = i; ids interleaved with another table's so pages are scattered
  const rows = Array.from({ length: 1200 }, (_, i) => ({
    Name: `person ${i}`,
    City: i % 3 === 0 ? 'Zürich' : 'Lyon',
    Score: String(i),
  }));
  await insertRows(db.pool, tableId, rows);
  const check = await addColumn(db.pool, builtinProviders, {
    tableId,
    name: 'check',
    kind: 'enrichment',
    provider: 'mock',
  });
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value)
     select table_id, id, $2, case when (data->>$3)::int % 2 = 0 then 'done' else 'error' end,
            jsonb_build_object('valid', (data->>$3)::int % 4 = 0)
     from rows where table_id = $1`,
    [
      tableId,
      check.id,
      String(
        (await db.pool.query(`select id from columns where table_id = $1 and name = 'Score'`, [tableId]))
          .rows[0].id,
      ),
    ],
  );
});
afterAll(() => db.drop());

async function exported(options: ExportCsvOptions): Promise<{ records: string[][]; rows: number }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await exportCsv(db.pool, tableId, sink, { pageSize: 100, ...options });
  return { records: parse(Buffer.concat(chunks).toString('utf8')), rows: result.rows };
}

describe('export by filter, sort and search', () => {
  it('exports only the rows a filter selects, with their cells, across pages', async () => {
    const { records, rows } = await exported({
      query: { filter: { column: 'City', op: 'eq', value: 'Zürich' } },
    });
    expect(rows).toBe(400);
    expect(records[0]).toEqual(['Name', 'City', 'Score', 'check.valid']);
    expect(records.slice(1).map((r) => r[0])).toEqual(
      Array.from({ length: 400 }, (_, i) => `person ${i * 3}`),
    );
    // person 0 is done (valid true), person 3 an error cell (empty)
    expect(records[1]).toEqual(['person 0', 'Zürich', '0', 'true']);
    expect(records[2]).toEqual(['person 3', 'Zürich', '3', '']);
  });

  it('follows a sort and a search, and filters on a cell status', async () => {
    const sorted = await exported({
      query: { sort: { column: 'Score', as: 'number', direction: 'desc' }, q: 'person 11' },
    });
    // person 11, 110–119, 1100–1199: 111 rows, highest score first
    expect(sorted.rows).toBe(111);
    expect(sorted.records[1]?.[0]).toBe('person 1199');
    expect(sorted.records.at(-1)?.[0]).toBe('person 11');
    const errors = await exported({ query: { filter: { column: 'check', op: 'status', value: ['error'] } } });
    expect(errors.rows).toBe(600);
    expect(errors.records.slice(1).every((r) => Number(r[2]) % 2 === 1)).toBe(true);
  });

  it('exports every row for an empty query, as before', async () => {
    expect((await exported({ query: {} })).rows).toBe(1200);
    expect((await exported({ query: { q: '  ' } })).rows).toBe(1200);
  });

  it('refuses a bad filter before the header, naming the field', async () => {
    const error = await exportCsvStream(db.pool, tableId, {
      query: { filter: { column: 'Cty', op: 'eq', value: 'x' } },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).path).toBe('filter.column');
    expect((error as AppError).message).toContain('Cty');
    const sort = await exportCsvStream(db.pool, tableId, {
      query: { sort: { column: 'Nme' } },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((sort as AppError).path).toMatch(/^sort/);
  });

  it('holds no transaction open while the reader is slow: an idle-in-transaction timeout cuts nothing', async () => {
    // a database (or role) with idle_in_transaction_session_timeout, as some hosts and DBAs set
    const url = new URL(db.url);
    url.searchParams.set('options', '-c idle_in_transaction_session_timeout=200');
    const strict = createPool({ connectionString: url.toString(), max: 4 });
    try {
      const stream = await exportCsvStream(strict, tableId, {
        pageSize: 50,
        query: { sort: { column: 'Score', as: 'number', direction: 'desc' } },
      });
      const chunks: Buffer[] = [];
      // a slow download: the stream reads ahead to its buffer's limit, then waits for this reader
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        if (chunks.length % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const records = parse(Buffer.concat(chunks).toString('utf8')) as string[][];
      expect(records).toHaveLength(1201);
      expect(records[1]?.[0]).toBe('person 1199');
      expect(records.at(-1)?.[0]).toBe('person 0');
    } finally {
      await strict.end();
    }
  });

  it('writes the rows that matched when it began: a row deleted since is left out', async () => {
    const name = String(
      (await db.pool.query(`select id from columns where table_id = $1 and name = 'Name'`, [tableId])).rows[0]
        .id,
    );
    const { rows: added } = await db.pool.query<{ id: string }>(
      `insert into rows (table_id, position, data)
       select $1, 10000 + g, jsonb_build_object($2::text, 'gone ' || g) from generate_series(1, 3000) g returning id`,
      [tableId, name],
    );
    const ids = added.map((row) => row.id);
    const stream = await exportCsvStream(db.pool, tableId, { pageSize: 50, query: { q: 'gone' } });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      // after the header and the first page: every matched row but the first goes
      if (chunks.length === 2)
        await db.pool.query('delete from rows where id = any($1::bigint[])', [ids.slice(1)]);
    }
    const names = (parse(Buffer.concat(chunks).toString('utf8')) as string[][]).slice(1).map((r) => r[0]);
    expect(names[0]).toBe('gone 1');
    expect(names.length).toBeGreaterThan(1);
    expect(names.length).toBeLessThan(3000);
    expect(names.every((n, i) => n === `gone ${i + 1}`)).toBe(true);
    await db.pool.query('delete from rows where id = any($1::bigint[])', [ids]);
  });

  it('gives its connections back when the reader stops early', async () => {
    const stream = await exportCsvStream(db.pool, tableId, {
      pageSize: 10,
      query: { filter: { column: 'City', op: 'eq', value: 'Lyon' } },
    });
    for await (const _ of stream) break; // the header only
    // the connections are released as the stream is destroyed: soon, not at once
    const openTransactions = async () =>
      (
        await db.pool.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
        )
      ).rows[0].n;
    await expect.poll(openTransactions, { timeout: 5000 }).toBe(0);
    await expect.poll(() => db.pool.totalCount - db.pool.idleCount, { timeout: 5000 }).toBeLessThanOrEqual(0);
  });
});
