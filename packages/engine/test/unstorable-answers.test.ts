import type { Json } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import {
  cellsOf,
  scriptedProvider,
  seedTable,
  startTestWorker,
  useTestDatabase,
  waitForRun,
} from './helpers';

const db = useTestDatabase();

/**
 * An API whose answers Postgres cannot store as they are: every 50th from the 7th a NUL in a value
 * and a lone surrogate in a key, from the 9th a refusal whose message holds a NUL, from the 11th a
 * NUL in the answer's meta. Scraped pages and PDFs carry NUL bytes; before, the one flush holding
 * such an answer failed, and with it the chunk's other results, three times: 1,933 of 2,000 cells of
 * an `http` column ended "its chunk failed 3 times, the last time with: unsupported Unicode escape
 * sequence".
 */
const provider = scriptedProvider('unstorable', async (input) => {
  const i = Number(input.slice('value-'.length));
  if (i % 50 === 7) return { kind: 'ok', value: { v: `a\u0000b ${i}`, '\ud800k': 1 } };
  if (i % 50 === 9) return { kind: 'permanent', message: `refused \u0000 ${i}` };
  if (i % 50 === 11) return { kind: 'ok', value: `fine ${i}`, meta: { note: 'n\u0000' } };
  if (i % 50 === 13) return { kind: 'ok', value: i < 1_000 ? nested(100_000) : { refuse: i } };
  return { kind: 'ok', value: `fine ${i}` };
});
/** An array `depth` arrays deep: JSON.stringify's recursion ends near 5,000 levels. */
function nested(depth: number): Json {
  let value: Json = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const providers = new Map([...builtinProviders, ['unstorable', provider]]);

describe('answers with what Postgres cannot store', () => {
  it('are stored with U+FFFD in its place, and the rest of the chunk with them', async () => {
    const rows = 2_000;
    const { column } = await seedTable(db, { rows, provider: 'unstorable', providers });
    // A value the database refuses as data (as Postgres refuses JSON nested past its max_stack_depth
    // with 54001; provoking that takes a superuser, which the embedded test cluster's role is not):
    // a trigger refuses any cell value holding `refuse` with a data exception (22023).
    await db.pool.query(`
      create function refuse_marked_values() returns trigger language plpgsql as $$
      begin
        if new.value ? 'refuse' then
          raise exception 'a value the database refuses' using errcode = '22023';
        end if;
        return new;
      end $$;
      create trigger refuse_marked_values before update on cells
        for each row execute function refuse_marked_values();`);
    const worker = await startTestWorker(db, { providers });
    try {
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      expect(await waitForRun(db, run.id, 30_000)).toBe('done');
      expect((await getRun(db.pool, run.id))?.counts).toMatchObject({ done: rows - 80, error: 80 });
    } finally {
      await worker.stop();
    }
    const cells = await cellsOf(db, column.id);
    expect(cells[6]).toMatchObject({ status: 'done', value: { v: 'a\ufffdb 7', '\ufffdk': 1 } });
    expect(cells[8]).toMatchObject({ status: 'error', error: 'refused \ufffd 9' });
    expect(cells[10]).toMatchObject({ status: 'done', value: 'fine 11' });
    const { rows: metas } = await db.pool.query('select meta from cells where id = $1', [cells[10].id]);
    expect(metas[0].meta).toMatchObject({ note: 'n\ufffd' });
    expect(cells[11]).toMatchObject({ status: 'done', value: 'fine 12', tries: 1 });
    // too deep for JSON.stringify (rows 13 … 963) / refused by the database (1,013 … 1,963): each
    // its own cell's error, its neighbours in the same flush written
    expect(cells[12]).toMatchObject({ status: 'error', value: null });
    expect(cells[12].error).toMatch(/^value: cannot be written as JSON \(Maximum call stack size exceeded\)/);
    expect(cells[1012]).toMatchObject({ status: 'error', value: null });
    expect(cells[1012].error).toBe('the answer could not be stored: a value the database refuses');
    expect(cells[1013]).toMatchObject({ status: 'done', value: 'fine 1014', tries: 1 });
  });
});
