import { createLogger } from '@glaze/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

// A database whose disk is full answers reads and refuses every write that must grow a file, with
// SQLSTATE 53100 (seen under `glaze start` with its data dir on a 400 MB tmpfs: a re-run of 300,000
// cells, the flushes refused). Before, the flush was retried four times and its chunk's job failed;
// the chunk's lease ran out, and after three leases its cells ended in error, "the worker running
// this cell stopped responding 3 times (lease expired)": 8,361 cells whose calls had succeeded. Here
// a trigger refuses the results' writes and the write probe's as a full disk does, while a flag row
// exists; the leases (other rows, other pages) are renewed as they were there.
const db = useTestDatabase();
const countsOf = async (runId: number) => {
  const run = await getRun(db.pool, runId);
  if (!run) throw new Error(`run ${runId} is gone`);
  return run.counts;
};

beforeAll(async () => {
  await db.pool.query(`
    create table disk_is_full (on_ boolean);
    create function refuse_when_disk_full() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from disk_is_full) then
        raise exception 'could not extend file "base/1/2": No space left on device (test)'
          using errcode = 'disk_full';
      end if;
      return new;
    end $$;
    create trigger results_refused before update on cells
      for each row when (new.status in ('done', 'error')) execute function refuse_when_disk_full();
    create trigger chunks_refused before insert on chunks
      for each row execute function refuse_when_disk_full();
    create trigger probe_refused before insert on glaze_write_probe
      for each row execute function refuse_when_disk_full();
  `);
});
afterAll(async () => {
  await db.pool.query(`
    drop trigger results_refused on cells;
    drop trigger chunks_refused on chunks;
    drop trigger probe_refused on glaze_write_probe;
    drop table disk_is_full;
  `);
});

it('results refused by a full disk wait for space and are written then: no cell ends in error', {
  timeout: 60_000,
}, async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  // 20 chunks of 10 cells at 100 ms: the run is under way when the disk fills
  const { column } = await seedTable(db, { rows: 200, config: { latencyMs: 100 } });
  const worker = await startTestWorker(db, { leaseSeconds: 2, logger });
  try {
    // one attempt: the first lease lost for the full disk would end the chunk's cells in error
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10, maxAttempts: 1 });
    const deadline = Date.now() + 20_000;
    while ((await countsOf(run.id)).done === 0) {
      if (Date.now() > deadline) throw new Error('no cell written before the disk filled');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await db.pool.query('insert into disk_is_full values (true)');
    // four leases: the old code gave up on the flush after 4 s and lost the chunk's lease 2 s later
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const whileFull = await countsOf(run.id);
    await db.pool.query('delete from disk_is_full');
    expect(await waitForRun(db, run.id, 30_000)).toBe('done');
    const counts = await countsOf(run.id);
    expect(counts).toMatchObject({ done: 200, error: 0 });
    expect(whileFull.error).toBe(0);
    const messages = lines.filter((line) => Number(line.level) >= 40).map((line) => line.msg);
    expect(messages).toContain(
      'database refuses writes (out of disk space); work waits and resumes when it takes them again',
    );
    expect(messages).toContain('database takes writes again');
    expect(lines.filter((line) => line.msg === 'flush failed')).toEqual([]);
  } finally {
    await db.pool.query('delete from disk_is_full');
    await worker.stop();
  }
});

it('an expansion refused by a full disk waits for space instead of failing its job', {
  timeout: 60_000,
}, async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const { column } = await seedTable(db, { rows: 300 });
  // the start queues the first 100 rows; each expansion job another 100, in new chunks
  await db.pool.query('insert into disk_is_full values (true)');
  const run = await startRun(db.pool, {
    columnId: column.id,
    scope: 'all',
    chunkSize: 50,
    startBatch: 100,
    expandBatch: 100,
  }).catch((error) => error);
  // the start's own chunks are refused too: start on a disk with space, then fill it
  expect(run).toBeInstanceOf(Error);
  await db.pool.query('delete from disk_is_full');
  const started = await startRun(db.pool, {
    columnId: column.id,
    scope: 'all',
    chunkSize: 50,
    startBatch: 100,
    expandBatch: 100,
  });
  await db.pool.query('insert into disk_is_full values (true)');
  const worker = await startTestWorker(db, { logger });
  try {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await db.pool.query('delete from disk_is_full');
    expect(await waitForRun(db, started.id, 30_000)).toBe('done');
    expect(await countsOf(started.id)).toMatchObject({ done: 300, error: 0 });
    expect(lines.filter((line) => line.msg === 'job failed; it is retried')).toEqual([]);
  } finally {
    await db.pool.query('delete from disk_is_full');
    await worker.stop();
  }
});
