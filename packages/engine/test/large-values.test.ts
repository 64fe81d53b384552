import type { AnyProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import { maxCellValueChars } from '../src/worker/flush-results';
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
 * Answers of megabytes (an `http` column reading web pages: a response may hold up to 5 MB). A flush
 * sends its values as one `jsonb` array, which Postgres caps at 256 MB: 100 answers of 3 MB failed
 * every flush, and the run stayed `running` while its chunk's job was retried, calling the provider
 * again each time. Flushes are now cut by size as well as by count.
 */
it('a run of 100 answers of 3 MB each ends done, each cell called once', { timeout: 120_000 }, async () => {
  let calls = 0;
  const big = scriptedProvider('big', async (input) => {
    calls++;
    return { kind: 'ok', value: `${input}:${'x'.repeat(3_000_000)}` };
  });
  const column = await runToTheEnd(big, 100, 60_000);
  const { rows } = await db.pool.query(
    `select count(*)::int as done, min(length(value #>> '{}'))::int as shortest
       from cells where column_id = $1 and status = 'done'`,
    [column.id],
  );
  expect(rows[0]).toEqual({ done: 100, shortest: 'value-1:'.length + 3_000_000 });
  expect(calls).toBe(100);
});

it('a value larger than a cell holds is the cell’s error, naming its size; the other cells are done', {
  timeout: 60_000,
}, async () => {
  const huge = scriptedProvider('huge', async (input) =>
    input === 'value-2'
      ? { kind: 'ok', value: 'x'.repeat(maxCellValueChars + 1) }
      : { kind: 'ok', value: input },
  );
  const column = await runToTheEnd(huge, 3, 30_000);
  const cells = await cellsOf(db, column.id);
  expect(cells.map((c) => [c.status, c.value, c.error])).toEqual([
    ['done', 'value-1', null],
    ['error', null, `value: 64.0 MB of JSON, more than a cell holds (64 MB)`],
    ['done', 'value-3', null],
  ]);
});

/** A table of `rows` rows whose column asks `provider`, run once to its end (done) by a test worker. */
async function runToTheEnd(provider: AnyProvider, rows: number, timeoutMs: number) {
  const providers = new Map([...builtinProviders, [provider.id, provider]]);
  const { column } = await seedTable(db, { rows, provider: provider.id, providers });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id, timeoutMs)).toBe('done');
    return column;
  } finally {
    await worker.stop();
  }
}
