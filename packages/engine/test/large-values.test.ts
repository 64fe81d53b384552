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
  const providers = new Map([...builtinProviders, ['big', big]]);
  const { column } = await seedTable(db, { rows: 100, provider: 'big', providers });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id, 60_000)).toBe('done');
    const { rows } = await db.pool.query(
      `select count(*)::int as done, min(length(value #>> '{}'))::int as shortest
       from cells where column_id = $1 and status = 'done'`,
      [column.id],
    );
    expect(rows[0]).toEqual({ done: 100, shortest: 'value-1:'.length + 3_000_000 });
    expect(calls).toBe(100);
  } finally {
    await worker.stop();
  }
});

it('a value larger than a cell holds is the cell’s error, naming its size; the other cells are done', {
  timeout: 60_000,
}, async () => {
  const huge = scriptedProvider('huge', async (input) =>
    input === 'value-2'
      ? { kind: 'ok', value: 'x'.repeat(maxCellValueChars + 1) }
      : { kind: 'ok', value: input },
  );
  const providers = new Map([...builtinProviders, ['huge', huge]]);
  const { column } = await seedTable(db, { rows: 3, provider: 'huge', providers });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id, 30_000)).toBe('done');
    const cells = await cellsOf(db, column.id);
    expect(cells.map((c) => [c.status, c.value, c.error])).toEqual([
      ['done', 'value-1', null],
      ['error', null, `value: 64.0 MB of JSON, more than a cell holds (64 MB)`],
      ['done', 'value-3', null],
    ]);
  } finally {
    await worker.stop();
  }
});
