import { createPool, type Pool, silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { FeedHub, startRun } from '../src/index';
import { interceptQueries, seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

/**
 * A windowed watcher of a 2,000-cell run start, read 400 changes a page by a hub on `pool`: how many
 * times a bound taken on its own overlapped a page read. Each page read and each such bound takes
 * 100 ms longer, so two sent side by side are seen to overlap (with 30 ms, a pause of the event
 * loop between them could hide it).
 */
async function overlapsWhileCatchingUp(pool: Pool): Promise<number> {
  const { table, column } = await seedTable(db, { rows: 2000 });
  const hub = await FeedHub.start({ pool, logger: silentLogger, mode: 'poll', limit: 100, aheadMs: 60_000 });
  const inFlight = { page: 0, bound: 0 };
  let overlaps = 0;
  const stop = interceptQueries(pool, async (query, args) => {
    const text = String((args[0] as { text?: string }).text ?? args[0]);
    const kind = text.includes('glaze_table_feed_page')
      ? 'page'
      : /^select glaze_table_seq\(\$1\) as seq/.test(text)
        ? 'bound'
        : undefined;
    if (!kind) return query(...args);
    if (inFlight[kind === 'page' ? 'bound' : 'page'] > 0) overlaps++;
    inFlight[kind]++;
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return await query(...args);
    } finally {
      inFlight[kind]--;
    }
  });
  try {
    let position = 0;
    const rows = new Set<number>();
    await hub.subscribe(
      table.id,
      {
        onStart: (cursor) => {
          position = cursor;
        },
        onBatch: (batch) => {
          expect(batch.from).toBe(position);
          position = batch.to;
          for (const cell of batch.cells) rows.add(cell.rowId);
        },
        onEnd: () => {},
      },
      undefined,
      { rows: [[1, 100_000]] },
    );
    await startRun(db.pool, { columnId: column.id, scope: 'all' });
    // the run's last change (not through currentSeq: only the feed's own bounds are counted)
    const { rows: last } = await db.pool.query('select glaze_table_seq($1) as end_seq', [table.id]);
    const end = Number(last[0].end_seq);
    const deadline = Date.now() + 20_000;
    while (position < end) {
      if (Date.now() > deadline) throw new Error(`the feed did not reach seq ${end} in 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // every row's queued cell arrived, in batches that follow each other without a gap
    expect(rows.size).toBe(2000);
    return overlaps;
  } finally {
    stop();
    await hub.close();
  }
}

it('a feed behind its table takes its next bound while it reads the pages below the one it has', async () => {
  expect(await overlapsWhileCatchingUp(db.pool)).toBeGreaterThanOrEqual(1);
});

it('takes its bound inline when the pool has no connection to spare, and still catches up', async () => {
  const pool = createPool({ connectionString: db.url, max: 3 });
  // three callers that always want a connection: the pool never has one idle
  let pressing = true;
  let served = 0;
  const press = async () => {
    while (pressing) {
      await pool.query('select pg_sleep(0.005)');
      served++;
    }
  };
  const callers = [press(), press(), press()];
  try {
    expect(await overlapsWhileCatchingUp(pool)).toBe(0);
    expect(served).toBeGreaterThan(0);
  } finally {
    pressing = false;
    await Promise.all(callers);
    await pool.end();
  }
});
