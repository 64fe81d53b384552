import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValuePathRecorder } from '../src/csv/record-value-paths';
import { addColumn, createTable, deleteColumn, exportCsv, insertRows } from '../src/index';
import { statements } from '../src/worker/statements';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

async function header(tableId: number): Promise<string[]> {
  const sink = new PassThrough();
  sink.resume();
  return (await exportCsv(db.pool, tableId, sink)).columns;
}

/** What a worker's flush records of these values' paths: flush-results.sql with the paths and no result. */
async function recordPaths(
  tableId: number,
  recorder: ValuePathRecorder,
  cells: Array<{ columnId: number; rowId: number; value: unknown }>,
): Promise<void> {
  const paths = recorder.pending(cells);
  const noResults = [[], [], [], [], [], [], [], [], '[]', '[]', '[]', [], []];
  await db.pool.query({ ...statements.flushResults, values: [tableId, ...noResults, ...paths.values] });
  paths.remember();
}

describe('export header from the paths recorded at write time', () => {
  it('follows values as they are inserted and updated, in first-row order, and forgets a deleted column', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'paths', inputColumns: ['name'] });
    const [r1, r2] = (await insertRows(db.pool, table.id, [{ name: 'a' }, { name: 'b' }])) as [
      number,
      number,
    ];
    const add = (name: string) =>
      addColumn(db.pool, builtinProviders, { tableId: table.id, name, kind: 'enrichment', provider: 'mock' });
    const check = await add('check');
    const never = await add('never');
    // queued cells, as a run leaves them: no value, no path
    await db.pool.query(
      `insert into cells (table_id, row_id, column_id, status)
       select $1, r, c, 'queued' from unnest($2::bigint[]) r, unnest($3::bigint[]) c`,
      [table.id, [r1, r2], [check.id, never.id]],
    );
    expect(await header(table.id)).toEqual(['name', 'check', 'never']);
    // a flush, as the worker's flusher writes one: the paths recorded, then the value (a recorder per
    // flush, so each records what it sees as a fresh worker process would; in the worker both are one
    // statement)
    const flush = async (rowId: number, value: unknown) => {
      await recordPaths(table.id, new ValuePathRecorder(), [{ columnId: check.id, rowId, value }]);
      await db.pool.query(
        `update cells set status = 'done', value = $3::jsonb where row_id = $1 and column_id = $2`,
        [rowId, check.id, JSON.stringify(value)],
      );
    };
    await flush(r2, { valid: true, domain: 'x.com', empty: '' });
    expect(await header(table.id)).toEqual(['name', 'check.valid', 'check.domain', 'never']);
    await flush(r1, { reason: 'mx', valid: false, nothing: null });
    // row 1 comes first by id, so its path leads; '' and null are no column (no phantom)
    expect(await header(table.id)).toEqual(['name', 'check.valid', 'check.reason', 'check.domain', 'never']);
    // an error write takes no path away and adds none
    await db.pool.query(
      `update cells set status = 'error', value = null where row_id = $1 and column_id = $2`,
      [r1, check.id],
    );
    expect(await header(table.id)).toContain('check.reason');
    await deleteColumn(db.pool, table.id, check.id);
    const { rows } = await db.pool.query('select 1 from column_value_paths where column_id = $1', [check.id]);
    expect(rows).toHaveLength(0);
    expect(await header(table.id)).toEqual(['name', 'never']);
  });

  it('records the same paths, first rows and key positions as the SQL walk of inserted cells', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'walks', inputColumns: ['name'] });
    const values = [
      { valid: true, domain: 'x.com', empty: '', nested: { b: 1, aa: [1, 2], z: null, deep: { k: 'v' } } },
      'plain',
      0,
      false,
      [1, 'two'],
      { é: 1, e: 2, ee: 3, 'Ω mega': 'x', '': 'empty key' },
      {},
      null,
      { valid: false, reason: 'mx', nested: { aa: 'later' } },
    ];
    const rowIds = await insertRows(
      db.pool,
      table.id,
      values.map((_, i) => ({ name: `r${i}` })),
    );
    const add = (name: string) =>
      addColumn(db.pool, builtinProviders, { tableId: table.id, name, kind: 'enrichment', provider: 'mock' });
    const bySql = await add('by sql');
    const byWorker = await add('by worker');
    // inserted with values: the trigger walks them in SQL
    await db.pool.query(
      `insert into cells (table_id, row_id, column_id, status, value)
       select $1, r, $2, 'done', v from unnest($3::bigint[], $4::jsonb[]) as u(r, v)`,
      [table.id, bySql.id, rowIds, values.map((v) => JSON.stringify(v))],
    );
    // the worker's recorder, fed in an order rows do not finish in
    const recorder = new ValuePathRecorder();
    const cells = values.map((value, i) => ({ columnId: byWorker.id, rowId: rowIds[i] as number, value }));
    await recordPaths(table.id, recorder, cells.slice(5));
    await recordPaths(table.id, recorder, cells.slice(0, 5));
    expect(recorder.pending(cells).values[1]).toEqual([]); // all known: nothing to send
    const recorded = async (columnId: number) =>
      (
        await db.pool.query(
          'select path, first_row::int as "firstRow", ord::int[] as ord from column_value_paths where column_id = $1 order by path',
          [columnId],
        )
      ).rows;
    const fromSql = await recorded(bySql.id);
    expect(fromSql.length).toBeGreaterThan(8);
    expect(await recorded(byWorker.id)).toEqual(fromSql);
  });

  it('passes over a value whose shape it recorded at an earlier row, and walks any other', () => {
    const recorder = new ValuePathRecorder();
    const cell = (rowId: number, value: unknown) => [{ columnId: 1, rowId, value }];
    const first = recorder.pending(cell(10, { a: 1, b: '' }));
    expect(first.values).toEqual([[1], ['.a'], [10], ['{1}']]);
    // not remembered (its flush failed): sent again
    expect(recorder.pending(cell(11, { a: 2, b: '' })).values[1]).toEqual(['.a']);
    first.remember();
    expect(recorder.pending(cell(11, { a: 2, b: '' })).values[1]).toEqual([]);
    // the same shape at an earlier row moves the path's first row back
    expect(recorder.pending(cell(5, { a: 3, b: '' })).values).toEqual([[1], ['.a'], [5], ['{1}']]);
    // a filled `b`, a nested object, another column: other shapes, their new paths found
    expect(recorder.pending(cell(12, { a: 2, b: 'x' })).values[1]).toEqual(['.b']);
    expect(recorder.pending(cell(12, { a: 2, b: { c: 1 } })).values[1]).toEqual(['.b.c']);
    expect(recorder.pending([{ columnId: 2, rowId: 12, value: { a: 2, b: '' } }]).values[1]).toEqual(['.a']);
  });

  it('reads no cell to write the header', async () => {
    const sql = readFileSync(new URL('../src/csv/sql/export-headers.sql', import.meta.url), 'utf8');
    const { rows } = await db.pool.query(`explain (format json) ${sql}`, [[1, 2, 3]]);
    const relations = JSON.stringify(rows[0]['QUERY PLAN']).match(/"Relation Name":"[a-z_]+"/g);
    expect(relations).toEqual(['"Relation Name":"column_value_paths"']);
  });
});
