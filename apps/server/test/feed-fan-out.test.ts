import { silentLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import {
  type ChangeBatch,
  createTable,
  createWorkspace,
  deleteRows,
  deleteTable,
  type FeedEndReason,
  FeedHub,
  insertRows,
  renameTable,
} from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batchFrames } from '../src/sse/batch-frames';

let db: TestDatabase;
let workspaceId: number;
const hubs: FeedHub[] = [];
beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'), inject('templateName'));
  workspaceId = (await createWorkspace(db.pool, 'feed')).id;
});
afterAll(async () => {
  for (const hub of hubs) await hub.close();
  await db.drop();
});

async function hub(mode: 'auto' | 'poll') {
  const started = await FeedHub.start({
    pool: db.pool,
    logger: silentLogger,
    listenUrl: db.url,
    mode,
    pollMs: 50,
  });
  hubs.push(started);
  return started;
}

function collector() {
  const batches: ChangeBatch[] = [];
  const ended: FeedEndReason[] = [];
  return {
    batches,
    ended,
    rows: () => batches.flatMap((b) => b.rows.map((r) => r.id)),
    listener: {
      onBatch: (b: ChangeBatch) => void batches.push(b),
      onEnd: (r: FeedEndReason) => void ended.push(r),
    },
  };
}

async function until(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the feed hub', () => {
  it('reads a table once per tick however many watch it, and coalesces bursts', async () => {
    const feed = await hub('auto');
    expect(feed.mode).toBe('listen');
    const table = await createTable(db.pool, { workspaceId, name: 'fan', inputColumns: ['v'] });
    const watchers = Array.from({ length: 25 }, collector);
    for (const w of watchers) await feed.subscribe(table.id, w.listener);
    const readsBefore = feed.reads;
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(...(await insertRows(db.pool, table.id, [{ v: String(i) }])));
    await until(() => watchers.every((w) => w.rows().length === 40));
    for (const w of watchers) expect(w.rows()).toEqual(ids); // every change once, in order
    const reads = feed.reads - readsBefore;
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(40); // 40 commits, 25 watchers: far fewer reads than either
  });

  it('tells watchers about deleted rows and schema changes, and ends streams of a deleted table', async () => {
    const feed = await hub('auto');
    const table = await createTable(db.pool, { workspaceId, name: 'gone', inputColumns: ['v'] });
    const [first] = await insertRows(db.pool, table.id, [{ v: 'a' }, { v: 'b' }]);
    const watcher = collector();
    await feed.subscribe(table.id, watcher.listener);
    await deleteRows(db.pool, table.id, [first as number]);
    await renameTable(db.pool, { tableId: table.id, workspaceId, name: 'renamed' });
    await until(() => watcher.batches.flatMap((b) => b.changes).length === 2);
    const changes = watcher.batches.flatMap((b) => b.changes);
    expect(changes.map((c) => [c.kind, c.ids])).toEqual([
      ['rowsDeleted', [first]],
      ['schema', []],
    ]);
    const frames = watcher.batches.map((batch) => batchFrames(batch).toString()).join('');
    expect(frames).toMatch(/event: rowsDeleted\ndata: \{"ids":\[\d+\]\}/);
    expect(frames).toMatch(/event: schema\n/);
    await deleteTable(db.pool, table.id, workspaceId);
    await until(() => watcher.ended.length > 0);
    expect(watcher.ended).toEqual(['tableDeleted']);
    expect(feed.feeds.has(table.id)).toBe(false);
  });

  it('keeps delivering when its LISTEN connection is killed, and LISTENs again', async () => {
    const feed = await hub('auto');
    const table = await createTable(db.pool, { workspaceId, name: 'cut', inputColumns: ['v'] });
    const watcher = collector();
    await feed.subscribe(table.id, watcher.listener);
    const killed = await db.pool.query(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity
       where application_name = 'glaze-listen' and datname = current_database()`,
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    const during = await insertRows(db.pool, table.id, [{ v: 'while down' }]);
    await until(() => watcher.rows().length === 1); // polled while reconnecting
    await until(() => feed.listening);
    const after = await insertRows(db.pool, table.id, [{ v: 'after' }]);
    await until(() => watcher.rows().length === 2);
    expect(watcher.rows()).toEqual([...during, ...after]);
  });

  it('falls back to polling by itself when a test NOTIFY never arrives (as behind a transaction pooler)', async () => {
    // LISTEN on another database "works" but hears nothing, like LISTEN through a transaction-mode pooler.
    const feed = await FeedHub.start({
      pool: db.pool,
      logger: silentLogger,
      listenUrl: inject('adminUrl'),
      pollMs: 50,
    });
    hubs.push(feed);
    expect(feed.mode).toBe('poll');
    const table = await createTable(db.pool, { workspaceId, name: 'pooled', inputColumns: ['v'] });
    const watcher = collector();
    await feed.subscribe(table.id, watcher.listener);
    const ids = await insertRows(db.pool, table.id, [{ v: 'a' }]);
    await until(() => watcher.rows().length === 1);
    expect(watcher.rows()).toEqual(ids);
  });

  it('polls when told to (a transaction-mode pooler), and resumes a subscriber from a seq', async () => {
    const feed = await hub('poll');
    expect(feed.mode).toBe('poll');
    const table = await createTable(db.pool, { workspaceId, name: 'polled', inputColumns: ['v'] });
    const early = await insertRows(db.pool, table.id, [{ v: 'a' }, { v: 'b' }]);
    const live = collector();
    const subscription = await feed.subscribe(table.id, live.listener);
    const later = await insertRows(db.pool, table.id, [{ v: 'c' }]);
    await until(() => live.rows().length === 1);
    expect(live.rows()).toEqual(later);

    const resumed = collector();
    await feed.subscribe(table.id, resumed.listener, 0);
    await until(() => resumed.rows().length === 3);
    expect(resumed.rows()).toEqual([...early, ...later]);
    subscription.unsubscribe();
  });
});
