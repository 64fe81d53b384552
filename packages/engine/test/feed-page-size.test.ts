import type { RowWindow } from '@glaze/core';
import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { currentSeq, FeedHub, startRun } from '../src/index';
import { seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

/**
 * The hub's reads (pages and reads ahead) until a watcher of `rows` (or of the whole table) holds
 * the 2,000 queued cells a run start writes at once, 100 changes a page.
 */
async function readsToCatchUp(rows: RowWindow | undefined): Promise<number> {
  const { table, column } = await seedTable(db, { rows: 2000 });
  const hub = await FeedHub.start({
    pool: db.pool,
    logger: silentLogger,
    mode: 'poll',
    // Reads only while behind, in a loop, plus one poll a second: polls of an idle feed count as
    // reads too, and a start that takes seconds under load must not add dozens of them.
    pollMs: 1000,
    limit: 100,
    aheadMs: 60_000,
  });
  try {
    let position = 0;
    await hub.subscribe(
      table.id,
      {
        onBatch: (batch) => {
          position = batch.to;
        },
        onEnd: () => {},
      },
      undefined,
      { rows },
    );
    const before = hub.reads;
    await startRun(db.pool, { columnId: column.id, scope: 'all' });
    const end = await currentSeq(db.pool, table.id);
    const deadline = Date.now() + 20_000;
    while (position < end) {
      if (Date.now() > deadline) throw new Error(`the feed did not reach seq ${end} in 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return hub.reads - before;
  } finally {
    await hub.close();
  }
}

it('a feed behind its table reads larger pages while every watcher has a row window', async () => {
  const windowed = await readsToCatchUp([[1, 10]]);
  const whole = await readsToCatchUp(undefined);
  // 2,000 changes at 100 a page: ~20 reads for a whole-table watcher, ~6 in pages of 400.
  expect(whole).toBeGreaterThanOrEqual(20);
  expect(windowed).toBeLessThan(whole / 2);
});
