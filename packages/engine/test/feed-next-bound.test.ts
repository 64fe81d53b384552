import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { FeedHub, startRun } from '../src/index';
import { interceptQueries, seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

it('a feed behind its table takes its next bound while it reads the pages below the one it has', async () => {
  const { table, column } = await seedTable(db, { rows: 2000 });
  const hub = await FeedHub.start({
    pool: db.pool,
    logger: silentLogger,
    mode: 'poll',
    pollMs: 1000,
    limit: 100,
    aheadMs: 60_000,
  });
  // Each page read and each bound taken alone takes 30 ms longer, so two sent side by side overlap.
  const inFlight = { page: 0, bound: 0 };
  let overlaps = 0;
  const stop = interceptQueries(db.pool, async (query, args) => {
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
      await new Promise((resolve) => setTimeout(resolve, 30));
      return await query(...args);
    } finally {
      inFlight[kind]--;
    }
  });
  try {
    let position = 0;
    const cells = new Set<number>();
    await hub.subscribe(
      table.id,
      {
        onStart: (cursor) => {
          position = cursor;
        },
        onBatch: (batch) => {
          expect(batch.from).toBe(position);
          position = batch.to;
          for (const cell of batch.cells) cells.add(cell.rowId);
        },
        onEnd: () => {},
      },
      undefined,
      { rows: [[1, 100_000]] },
    );
    await startRun(db.pool, { columnId: column.id, scope: 'all' });
    // the run's last change (not through currentSeq: only the feed's own bounds are counted)
    const { rows } = await db.pool.query('select glaze_table_seq($1) as end_seq', [table.id]);
    const end = Number(rows[0].end_seq);
    const deadline = Date.now() + 20_000;
    while (position < end) {
      if (Date.now() > deadline) throw new Error(`the feed did not reach seq ${end} in 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // every row's queued cell arrived, in batches that follow each other without a gap
    expect(cells.size).toBe(2000);
    // the bound the feed reads next was taken during a page read, not after it
    expect(overlaps).toBeGreaterThanOrEqual(1);
  } finally {
    stop();
    await hub.close();
  }
});
