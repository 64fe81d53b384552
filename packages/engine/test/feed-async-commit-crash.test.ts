import { createPool, type Pool, silentLogger } from '@glaze/db';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeBatch, createTable, FeedHub, insertRows } from '../src/index';

/**
 * Workers commit asynchronously (`synchronous_commit = off`): a crash loses their last commits,
 * and with them the sequence's last WAL records, so after the restart `glaze_seq` hands out seqs
 * again that the feed already sent. A feed that sent those lost changes would then skip every new
 * change up to its old position. The feed only sends what is durable, so nothing it sent can be
 * lost and no seq it passed can come back.
 */
let cluster: StoppableCluster;
let server: Pool;
let worker: Pool;
beforeAll(async () => {
  // The WAL writer sleeps 10 s: an async commit stays in memory, where a crash loses it.
  cluster = await startStoppableCluster({ settings: { wal_writer_delay: '10000ms' } });
  server = createPool({ connectionString: cluster.url, max: 4 });
  worker = createPool({ connectionString: cluster.url, max: 2, synchronousCommit: false });
});
afterAll(async () => {
  await server?.end();
  await worker?.end();
  await cluster?.close();
});

describe('the change feed across a crash that loses asynchronous commits', () => {
  it('what a subscriber was sent survives the crash, and changes after it all arrive', async () => {
    const { rows: ws } = await server.query(`insert into workspaces (name) values ('crash') returning id`);
    const table = await createTable(server, { workspaceId: ws[0].id, name: 'T', inputColumns: ['n'] });
    const hub = await FeedHub.start({ pool: server, logger: silentLogger, mode: 'poll', pollMs: 50 });
    const seen = new Map<number, number>();
    try {
      await hub.subscribe(table.id, {
        onBatch(batch: ChangeBatch) {
          for (const row of batch.rows) seen.set(row.id, row.seq);
        },
        onEnd() {},
      });
      // 100 seqs: past the 32 a sequence logs ahead, so its WAL records are among what a crash loses.
      await insertRows(
        worker,
        table.id,
        Array.from({ length: 100 }, (_, i) => ({ n: i })),
      );
      await waitUntil(() => seen.size === 100);

      await cluster.crash();
      await cluster.start();
      await hub.health.whenAvailable();
      await insertRows(server, table.id, [{ n: 'after 1' }, { n: 'after 2' }, { n: 'after 3' }]);

      const { rows } = await server.query('select id, seq from rows where table_id = $1', [table.id]);
      expect(rows).toHaveLength(103); // the 100 rows the subscriber was sent are still there
      await waitUntil(() => rows.every((row) => seen.get(row.id) === row.seq));
    } finally {
      await hub.close();
    }
  }, 60_000);
});

async function waitUntil(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
