import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { type CellOutcome, cancelRun, claimChunk, ResultFlusher, startRun } from '../src/index';
import { cellsOf, chunksOf, seedTable, useTestDatabase } from './helpers';

const db = useTestDatabase();

const result = (
  cell: { columnId: number; rowId: number },
  chunkId: number,
  attempt: number,
  value: string,
): CellOutcome => ({
  columnId: cell.columnId,
  rowId: cell.rowId,
  chunkId,
  attempt,
  status: 'done',
  value,
  error: null,
  tries: 1,
  cost: null,
  meta: null,
  startedAt: Date.now(),
});

it('a late result from an older attempt never overwrites the newer claim', async () => {
  const { column, table } = await seedTable(db, { rows: 1 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [chunk] = await chunksOf(db, run.id);
  const [first] = await claimChunk(db.pool, chunk!, 30, 'test-worker');
  expect(first?.attempt).toBe(1);
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'running', attempt: 1 });
  // The first worker stalls; its chunk is handed to a second attempt.
  await db.pool.query(`update chunks set status = 'queued' where id = $1`, [chunk]);
  const [second] = await claimChunk(db.pool, chunk!, 30, 'test-worker');
  expect(second?.attempt).toBe(2);

  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await flusher.write(table.id, result({ columnId: column.id, rowId: first!.rowId }, chunk!, 1, 'stale'));
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'running', value: null });
  await flusher.write(table.id, result({ columnId: column.id, rowId: second!.rowId }, chunk!, 2, 'fresh'), {
    chunkId: chunk!,
    attempt: 2,
  });
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'done', value: 'fresh', attempt: 2 });
  const { rows } = await db.pool.query('select status from chunks where id = $1', [chunk]);
  expect(rows[0].status).toBe('done');
});

it('results of a cancelled run are discarded', async () => {
  const { column, table } = await seedTable(db, { rows: 2 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [chunk] = await chunksOf(db, run.id);
  const claimed = await claimChunk(db.pool, chunk!, 30, 'test-worker');
  expect(claimed).toHaveLength(2);
  expect((await cellsOf(db, column.id)).map((c) => c.status)).toEqual(['running', 'running']);
  expect(await cancelRun(db.pool, run.id)).toEqual({ id: run.id, cancelled: 2 });
  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await Promise.all(
    claimed.map((c) =>
      flusher.write(table.id, result({ columnId: column.id, rowId: c.rowId }, chunk!, c.attempt, 'late')),
    ),
  );
  const after = await cellsOf(db, column.id);
  expect(after.map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
  expect(after.map((c) => c.value)).toEqual([null, null]);
  const { rows } = await db.pool.query('select status, done_count, cancelled_count from runs where id = $1', [
    run.id,
  ]);
  expect(rows[0]).toEqual({ status: 'cancelled', done_count: 0, cancelled_count: 2 });
});

it('a result computed for a previous run does not land on the new run', async () => {
  const { column, table } = await seedTable(db, { rows: 1 });
  const old = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [oldChunk] = await chunksOf(db, old.id);
  const [claimedOld] = await claimChunk(db.pool, oldChunk!, 30, 'test-worker');
  await cancelRun(db.pool, old.id);
  const next = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [newChunk] = await chunksOf(db, next.id);
  const [claimedNew] = await claimChunk(db.pool, newChunk!, 30, 'test-worker');
  expect(claimedNew?.attempt).toBe(claimedOld?.attempt); // same attempt number, different chunk
  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await flusher.write(
    table.id,
    result({ columnId: column.id, rowId: claimedOld!.rowId }, oldChunk!, claimedOld!.attempt, 'old run'),
  );
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'running', value: null });
});

it('a chunk of a cancelled run cannot be claimed', async () => {
  const { column } = await seedTable(db, { rows: 3 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [chunk] = await chunksOf(db, run.id);
  await cancelRun(db.pool, run.id);
  expect(await claimChunk(db.pool, chunk!, 30, 'test-worker')).toEqual([]);
});
