import { Writable } from 'node:stream';
import { decodeFeedCell, type FeedCell, largeValueBytes } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { exportCsv, getCell, readChanges, readRows, startRun } from '../src/index';
import { scriptedProvider, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

/** The JSON of row n's value: 3 MB of text for most rows, a few bytes around the threshold for two. */
function rowValue(n: number): string {
  if (n === 1) return 'small';
  // 65,536 bytes of JSON with its quotes: kept; one more is left out
  if (n === 2) return 'y'.repeat(largeValueBytes - 2);
  if (n === 3) return 'y'.repeat(largeValueBytes - 1);
  return `row ${n}: ${'x'.repeat(3_000_000)}`;
}

/**
 * An `http` column reading web pages answers megabytes a cell. 400 cells of 3 MB: a feed page of
 * them was one text past Postgres's 1 GB (`out of memory` after ~18 s, retried forever, viewers
 * stuck), a CSV export failed the same way, and a row page of 100 was 300 MB of JSON. Listings now
 * leave values over 64 KB out, with their size; the cell read and the export give them whole. Here
 * 40 rows (120 MB): the same paths, in seconds rather than the minute 400 take.
 */
it('values over 64 KB are left out of feed pages and row pages with their size, read whole one at a time and exported whole', {
  timeout: 180_000,
}, async () => {
  const rows = 40;
  const small = scriptedProvider('small', async (input) => ({ kind: 'ok', value: input }));
  const providers = new Map([...builtinProviders, [small.id, small]]);
  const { table, column } = await seedTable(db, { rows, provider: small.id, providers });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id, 30_000)).toBe('done');
  } finally {
    await worker.stop();
  }
  // the values a provider would have answered, written in one statement (a run of 400 × 3 MB takes minutes here)
  await db.pool.query(
    `update cells c set value = to_jsonb(case r.position::int
       when 1 then 'small' when 2 then repeat('y', $2 - 2) when 3 then repeat('y', $2 - 1)
       else 'row ' || r.position::int || ': ' || repeat('x', 3000000) end)
     from rows r where r.id = c.row_id and c.column_id = $1`,
    [column.id, largeValueBytes],
  );
  const { rows: order } = await db.pool.query('select id from rows where table_id = $1 order by position', [
    table.id,
  ]);
  const rowIds = order.map((r) => Number(r.id));
  const expectedBytes = (n: number) => (n <= 2 ? null : JSON.stringify(rowValue(n)).length);

  // the feed: one page of every cell, each a short text
  const page = await readChanges(db.pool, table.id, 0, { limit: 2000 });
  expect(page.batch.cells).toHaveLength(rows);
  expect(Math.max(...page.batch.cells.map((c) => c.text.length))).toBeLessThan(largeValueBytes + 200);
  const fed = new Map(page.batch.cells.map((c) => [c.rowId, decodeFeedCell(JSON.parse(c.text) as FeedCell)]));
  for (const [i, rowId] of rowIds.entries()) {
    const cell = fed.get(rowId);
    expect(cell?.largeValueBytes ?? null).toBe(expectedBytes(i + 1));
    expect(cell?.value).toEqual(i < 2 ? rowValue(i + 1) : null);
  }

  // a row page: the same
  const listed = await readRows(db.pool, { tableId: table.id, limit: 100 });
  const cells = listed.rows.map((r) => r.cells[String(column.id)]);
  expect(cells.map((c) => c?.largeValueBytes ?? null)).toEqual(rowIds.map((_, i) => expectedBytes(i + 1)));
  expect(cells.slice(0, 3).map((c) => c?.value)).toEqual([rowValue(1), rowValue(2), null]);

  // one cell, whole
  const whole = await getCell(db.pool, table.id, fed.get(rowIds[9] as number)?.id as number);
  expect(whole.value).toBe(rowValue(10));
  expect(whole.largeValueBytes).toBeNull();
  await expect(getCell(db.pool, table.id + 1, whole.id)).rejects.toThrow(`cell ${whole.id} does not exist`);

  // the export: every line whole (counted as it streams, never held)
  const lines: number[] = [];
  let current = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (let at = 0; ; ) {
        const newline = chunk.indexOf(10, at);
        if (newline < 0) {
          current += chunk.length - at;
          break;
        }
        lines.push(current + newline - at);
        current = 0;
        at = newline + 1;
      }
      done();
    },
  });
  const exported = await exportCsv(db.pool, table.id, sink, { raw: true });
  expect(exported.rows).toBe(rows);
  // header, then `value-N,<value>` (the values hold no comma, quote or newline: no quoting)
  expect(lines.slice(1)).toEqual(rowIds.map((_, i) => `value-${i + 1},`.length + rowValue(i + 1).length));
});
