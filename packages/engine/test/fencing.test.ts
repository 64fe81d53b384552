import { silentLogger } from '@glaze/db';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CellOutcome, cancelRun, claimChunk, ResultFlusher, startRun } from '../src/index';
import { cellsOf, seedTable, testDatabase } from './helpers';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.drop());

const result = (id: number, runId: number, attempt: number, value: string): CellOutcome => ({
  id,
  runId,
  attempt,
  status: 'done',
  value,
  error: null,
  tries: 1,
  cost: null,
  meta: null,
});

it('a late result from an older attempt never overwrites the newer claim', async () => {
  const { column, table } = await seedTable(db, { rows: 1 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [cell] = await cellsOf(db, column.id);
  const [first] = await claimChunk(db.pool, run.id, [cell.id], 30, false);
  expect(first?.attempt).toBe(1);
  // The first worker stalls; its lease is handed to a second attempt.
  await db.pool.query(`update cells set status = 'queued' where id = $1`, [cell.id]);
  const [second] = await claimChunk(db.pool, run.id, [cell.id], 30, false);
  expect(second?.attempt).toBe(2);

  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await flusher.write(table.id, result(cell.id, run.id, 1, 'stale'));
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'running', value: null });
  await flusher.write(table.id, result(cell.id, run.id, 2, 'fresh'));
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'done', value: 'fresh' });
});

it('results of a cancelled run are discarded', async () => {
  const { column, table } = await seedTable(db, { rows: 2 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const cells = await cellsOf(db, column.id);
  const claimed = await claimChunk(
    db.pool,
    run.id,
    cells.map((c) => c.id),
    30,
    false,
  );
  expect(claimed).toHaveLength(2);
  expect(await cancelRun(db.pool, run.id)).toEqual({ id: run.id, cancelled: 2 });
  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await Promise.all(claimed.map((c) => flusher.write(table.id, result(c.id, run.id, c.attempt, 'late'))));
  const after = await cellsOf(db, column.id);
  expect(after.map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
  expect(after.map((c) => c.value)).toEqual([null, null]);
  const { rows } = await db.pool.query('select status, done_count, cancelled_count from runs where id = $1', [
    run.id,
  ]);
  expect(rows[0]).toEqual({ status: 'cancelled', done_count: 0, cancelled_count: 2 });
});

it('a result for the same cell from a previous run does not land on the new run', async () => {
  const { column, table } = await seedTable(db, { rows: 1 });
  const old = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [cell] = await cellsOf(db, column.id);
  const [claimedOld] = await claimChunk(db.pool, old.id, [cell.id], 30, false);
  await cancelRun(db.pool, old.id);
  const next = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [claimedNew] = await claimChunk(db.pool, next.id, [cell.id], 30, false);
  expect(claimedNew?.attempt).toBe(claimedOld?.attempt); // same attempt number, different run
  const flusher = new ResultFlusher(db.pool, { logger: silentLogger });
  await flusher.write(table.id, result(cell.id, old.id, claimedOld!.attempt, 'old run'));
  expect((await cellsOf(db, column.id))[0]).toMatchObject({ status: 'running', value: null });
});
