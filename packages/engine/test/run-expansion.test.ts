import { createPool } from '@glaze/db';
import { describe, expect, it } from 'vitest';
import { cancelRun, getRun, insertRows, startRun } from '../src/index';
import { expandRun } from '../src/runs/expand-run';
import { runStatements } from '../src/runs/statements';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const batches = { chunkSize: 500, startBatch: 1_000, expandBatch: 2_000 };

/** The run's expansion job: when it may run next, and whether it waits. */
async function holdExpansion(runId: number, held: boolean) {
  const { rowCount } = await db.pool.query(
    `update graphile_worker._private_jobs set run_at = case when $2 then now() + interval '1 hour' else now() end
     where key = $1`,
    [`glaze_expand:${runId}`, held],
  );
  return rowCount;
}

async function cellCounts(columnId: number) {
  const { rows } = await db.pool.query(
    `select count(*)::int as cells, count(*) filter (where status = 'queued')::int as queued,
            count(*) filter (where status = 'done')::int as done,
            count(*) filter (where status = 'cancelled')::int as cancelled,
            coalesce(sum(tries), 0)::int as tries, count(*) filter (where meta ? 'recovered')::int as recovered
     from cells where column_id = $1`,
    [columnId],
  );
  return rows[0];
}

describe('a large run streams its start', () => {
  it('runs its first chunks while the rest is not queued yet, then queues and runs every cell once', async () => {
    const { table, column } = await seedTable(db, { rows: 20_000 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
    // the start queued one batch in two chunks and counted the rest: the total is known at once
    expect(run).toMatchObject({ total: 20_000, status: 'running', chunks: 2 });
    expect(await cellCounts(column.id)).toMatchObject({ cells: 1_000, queued: 1_000 });
    expect(await holdExpansion(run.id, true)).toBe(1);

    const worker = await startTestWorker(db);
    try {
      // the first batch's results are written while 19,000 cells are not even queued
      for (let done = 0; done < 1_000; ) {
        await new Promise((r) => setTimeout(r, 20));
        done = (await cellCounts(column.id)).done;
      }
      expect(await cellCounts(column.id)).toMatchObject({ cells: 1_000, done: 1_000 });
      const midway = await getRun(db.pool, run.id);
      // every queued cell ended, but the run is not done while cells remain to be queued
      expect(midway).toMatchObject({ status: 'running', total: 20_000 });
      // rows added before the expansion reaches them belong to the run: its total grows at the end,
      // and it is not done when 20,000 cells are
      await insertRows(
        db.pool,
        table.id,
        Array.from({ length: 500 }, (_, i) => ({ input: `later-${i + 1}` })),
      );

      expect(await holdExpansion(run.id, false)).toBe(1);
      expect(await waitForRun(db, run.id)).toBe('done');
    } finally {
      await worker.stop();
    }
    expect(await cellCounts(column.id)).toEqual({
      cells: 20_500,
      queued: 0,
      done: 20_500,
      cancelled: 0,
      tries: 20_500,
      recovered: 0,
    });
    const finished = await getRun(db.pool, run.id);
    expect(finished).toMatchObject({ status: 'done', total: 20_500 });
    expect(finished?.counts.done).toBe(20_500);
  });

  it('a batch that fails, or a worker stopped mid-expansion, still ends with every cell run once', async () => {
    const { column } = await seedTable(db, { rows: 20_000 });
    // the third statement that writes chunks fails once: the start, one batch, then this one
    await db.pool.query(`
      create sequence chunk_writes;
      create function fail_third_chunk_write() returns trigger language plpgsql as $$
      begin
        if nextval('chunk_writes') = 3 then raise exception 'expansion failed once (test)'; end if;
        return null;
      end $$;
      create trigger fail_third_chunk_write before insert on chunks
        for each statement execute function fail_third_chunk_write();`);
    try {
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
      const first = await startTestWorker(db);
      let stoppedMidway = false;
      try {
        // stop the first worker while the run is still expanding: its job is handed back or retried
        for (;;) {
          const { rows } = await db.pool.query(
            'select expanding, expand_ordinal as ordinal from runs where id = $1',
            [run.id],
          );
          if (!rows[0].expanding) break;
          if (rows[0].ordinal >= 12) {
            stoppedMidway = true;
            break;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        await first.stop();
      }
      expect(stoppedMidway).toBe(true);
      const second = await startTestWorker(db);
      try {
        expect(await waitForRun(db, run.id, 60_000)).toBe('done');
      } finally {
        await second.stop();
      }
      const { rows } = await db.pool.query(`select last_value::int from chunk_writes`);
      expect(rows[0].last_value).toBeGreaterThan(3); // the failed batch was retried
      expect(await cellCounts(column.id)).toMatchObject({ cells: 20_000, done: 20_000, tries: 20_000 });
      const finished = await getRun(db.pool, run.id);
      expect(finished).toMatchObject({ status: 'done', total: 20_000 });
      expect(finished?.counts.done).toBe(20_000);
    } finally {
      await db.pool.query(`drop trigger fail_third_chunk_write on chunks; drop function fail_third_chunk_write();
                           drop sequence chunk_writes`);
    }
  });

  it('a re-run through its batches finds every existing cell (updated, not inserted twice)', async () => {
    const { column } = await seedTable(db, { rows: 5_000 });
    const worker = await startTestWorker(db);
    try {
      const first = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
      expect(await waitForRun(db, first.id)).toBe('done');
      // every row has a done cell now: `empty` targets none of them, in the start or in a batch
      const empty = await startRun(db.pool, { columnId: column.id, scope: 'empty', ...batches });
      expect(await waitForRun(db, empty.id)).toBe('done');
      expect((await getRun(db.pool, empty.id))?.total).toBe(0);
      const again = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
      expect(await waitForRun(db, again.id)).toBe('done');
      expect((await getRun(db.pool, again.id))?.counts.done).toBe(5_000);
    } finally {
      await worker.stop();
    }
    expect(await cellCounts(column.id)).toMatchObject({ cells: 5_000, done: 5_000 });
  });

  it('a batch that fails leaves nothing queued and its connection usable (the one-message transaction rolls back)', async () => {
    const { column } = await seedTable(db, { rows: 5_000 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
    const pool = createPool({ connectionString: db.url, max: 1 });
    try {
      // chunk size 0: the statement divides by it, after the lock, inside the transaction
      await expect(expandRun(pool, { runId: run.id, chunkSize: 0, rows: 2_000 })).rejects.toThrow(
        /division by zero/,
      );
      // the pool's one connection is not left in an aborted transaction, nor holding the run's lock
      expect(await expandRun(pool, { runId: run.id, chunkSize: 500, rows: 2_000 })).toMatchObject({
        queued: 2_000,
        expanding: true,
      });
    } finally {
      await pool.end();
    }
    expect(await cellCounts(column.id)).toMatchObject({ cells: 3_000, queued: 3_000 });
    await expect(expandRun(db.pool, { runId: run.id, chunkSize: 500, rows: 1.5 })).rejects.toThrow(
      /parameter \$3 must be a whole number, got 1.5/,
    );
  });

  it('a run cancelled while it expands queues nothing more', async () => {
    const { column } = await seedTable(db, { rows: 20_000 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
    // one batch by hand, as the job would
    const batch = await expandRun(db.pool, { runId: run.id, chunkSize: 500, rows: 2_000 });
    expect(batch).toMatchObject({ queued: 2_000, expanding: true });
    // its four chunks, in row order, for a worker to claim at once (claim-on-start.ts)
    const { rows: queuedChunks } = await db.pool.query(
      'select id::int from chunks where run_id = $1 order by ordinal offset 2',
      [run.id],
    );
    expect(batch?.chunkIds).toEqual(queuedChunks.map((k) => k.id));
    expect(await cancelRun(db.pool, run.id)).toEqual({ id: run.id, cancelled: 3_000 });
    expect(await expandRun(db.pool, { runId: run.id, chunkSize: 500, rows: 2_000 })).toBeUndefined();
    const worker = await startTestWorker(db);
    try {
      // the worker runs the run's remaining expansion job: it finds the run cancelled
      for (;;) {
        const { rows } = await db.pool.query(
          `select count(*)::int as n from graphile_worker._private_jobs where key = $1 or key like 'glaze_chunk:%'`,
          [`glaze_expand:${run.id}`],
        );
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await worker.stop();
    }
    expect(await cellCounts(column.id)).toMatchObject({
      cells: 3_000,
      cancelled: 3_000,
      queued: 0,
      tries: 0,
    });
    // its total is the cells it queued, every one of them ended: nothing pending
    const cancelled = await getRun(db.pool, run.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', total: 3_000 });
    expect(cancelled?.counts).toMatchObject({ done: 0, error: 0, cancelled: 3_000 });
  });

  it('a batch that commits while the start counts the rest does not count its cells twice', async () => {
    const { column } = await seedTable(db, { rows: 20_000 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', ...batches });
    expect(run.total).toBe(20_000);
    // A batch in a transaction still open holds the table's lock; the count, started now, reads the
    // rows as they were before the batch (its 2,000 among the unseen) and waits for the lock to
    // write; the batch commits; the count writes over the run the batch changed.
    const own = createPool({ connectionString: db.url, max: 1 });
    const batch = await own.connect();
    try {
      const values = [run.id, 500, 2_000];
      await batch.query('begin');
      await batch.query({ ...runStatements.lockRun, values: [run.id] });
      await batch.query({ ...runStatements.expandRun, values });
      const counting = db.pool.query({ ...runStatements.countRun, values: [run.id] });
      for (let waiting = false; !waiting; ) {
        await new Promise((r) => setTimeout(r, 10));
        const { rows } = await db.pool.query(
          `select count(*)::int as n from pg_stat_activity
           where wait_event_type = 'Lock' and query like '-- Counts the cells a run%'`,
        );
        waiting = rows[0].n > 0;
      }
      await batch.query('commit');
      // 22,000 before: the batch's 2,000 cells counted as queued and as unseen
      expect((await counting).rows[0].total).toBe(20_000);
    } finally {
      batch.release();
      await own.end();
    }
    expect(await getRun(db.pool, run.id)).toMatchObject({ total: 20_000, status: 'running' });
    const { rows } = await db.pool.query('select expand_unseen from runs where id = $1', [run.id]);
    expect(rows[0].expand_unseen).toBe(17_000);
  });
});
