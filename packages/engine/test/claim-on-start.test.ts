import { createLogger } from '@glaze/db';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import {
  cellsOf,
  interceptQueries,
  recordStatements,
  seedTable,
  startTestWorker,
  testDatabase,
  waitForRun,
} from './helpers';

/**
 * A worker claims a new run's first chunks when the start's NOTIFY arrives (claim-on-start.ts), not
 * after graphile-worker's job fetch; the chunk's job then finds it in hand (or claimed) and ends.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.drop());

const claims = (statements: string[]) => statements.filter((s) => s.includes('-- Claims one chunk'));

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

/**
 * A 30-cell run in chunks of 10, its chunks claimed on start while graphile-worker's job fetch is held
 * back `fetchDelayMs`: how many claim statements went out, after checking every chunk and cell ran once.
 */
async function runClaimedOnStart(config: Record<string, unknown>, fetchDelayMs: number): Promise<number> {
  const { column } = await seedTable(db, { rows: 30, config });
  const { lines, logger } = capture();
  const { statements, stop } = recordStatements(db.pool);
  const slowFetch = delayJobFetch(fetchDelayMs);
  const worker = await startTestWorker(db, { logger, sweepIntervalMs: 60_000 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    expect(await waitForRun(db, run.id)).toBe('done');
    await waitFor(async () => (await jobsLeft()) === 0);
    const chunks = await chunksOfRun(run.id);
    expect(chunks.map((k) => [k.status, k.attempt, k.losses])).toEqual([
      ['done', 1, 0],
      ['done', 1, 0],
      ['done', 1, 0],
    ]);
    expect(claimedBy(lines)).toEqual(chunks.map((k) => [Number(k.id), 'on start']));
    expect((await cellsOf(db, column.id)).map((c) => [c.status, c.tries])).toEqual(
      Array.from({ length: 30 }, () => ['done', 1]),
    );
    return claims(statements).length;
  } finally {
    stop();
    slowFetch();
    await worker.stop();
  }
}

it("claims a run's first chunks on the start's NOTIFY; a job that comes while its chunk is in hand waits for it and ends without a claim", async () => {
  // calls of 300 ms, and graphile-worker's job fetch held back 100 ms: the jobs come mid-chunk
  expect(await runClaimedOnStart({ latencyMs: 300 }, 100)).toBe(3);
});

it('a job that comes after its chunk was claimed on start and written ends without a claim', async () => {
  // graphile-worker's job fetch held back 500 ms: the chunks are done before their jobs come;
  // three claims on start, none by the jobs (each sent one that found the chunk done, before)
  expect(await runClaimedOnStart({}, 500)).toBe(3);
});

it("expands a run larger than its start on the NOTIFY and claims the batch's chunks there too, without waiting for a job", async () => {
  // a start of 2 chunks of 10 and one batch of 40 rows (4 chunks); graphile-worker's job fetch held
  // back 1 s. Before, the batch waited for its `glaze_expand` job, and its chunks for their own jobs.
  const { column } = await seedTable(db, { rows: 60 });
  const { lines, logger } = capture();
  const slowFetch = delayJobFetch(1_000);
  const worker = await startTestWorker(db, { logger, sweepIntervalMs: 60_000 });
  try {
    const run = await startRun(db.pool, {
      columnId: column.id,
      scope: 'all',
      chunkSize: 10,
      startBatch: 20,
      expandBatch: 40,
    });
    expect(await waitForRun(db, run.id)).toBe('done');
    await waitFor(async () => (await jobsLeft()) === 0);
    const chunks = await chunksOfRun(run.id);
    expect(chunks.map((k) => [k.status, k.attempt, k.losses])).toEqual(
      Array.from({ length: 6 }, () => ['done', 1, 0]),
    );
    expect(claimedBy(lines)).toEqual(chunks.map((k) => [Number(k.id), 'on start']));
    expect((await cellsOf(db, column.id)).map((c) => [c.status, c.tries])).toEqual(
      Array.from({ length: 60 }, () => ['done', 1]),
    );
    // the start's expansion job, run after the NOTIFY's batch, found the run fully queued
    expect((await getRun(db.pool, run.id))?.total).toBe(60);
  } finally {
    slowFetch();
    await worker.stop();
  }
});

it('two listening workers race for the same chunks: each is claimed once, and every cell runs once', async () => {
  const { column } = await seedTable(db, { rows: 40 });
  const a = await startTestWorker(db, { sweepIntervalMs: 60_000 });
  const b = await startTestWorker(db, { sweepIntervalMs: 60_000 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    expect(await waitForRun(db, run.id)).toBe('done');
    await waitFor(async () => (await jobsLeft()) === 0);
    const { rows: chunks } = await db.pool.query(
      'select status, attempt, losses from chunks where run_id = $1',
      [run.id],
    );
    expect(chunks).toHaveLength(4);
    for (const chunk of chunks) expect(chunk).toEqual({ status: 'done', attempt: 1, losses: 0 });
    expect((await cellsOf(db, column.id)).map((c) => [c.status, c.tries])).toEqual(
      Array.from({ length: 40 }, () => ['done', 1]),
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

it('a worker that cannot LISTEN (transaction pooler, no listen URL) runs every chunk from its job', async () => {
  const { column } = await seedTable(db, { rows: 20 });
  const { lines, logger } = capture();
  const worker = await startTestWorker(db, { logger, transactionPooler: true, sweepIntervalMs: 60_000 });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    expect(await waitForRun(db, run.id)).toBe('done');
    const claimed = lines.filter((line) => line.msg === 'claimed chunk');
    expect(claimed).toHaveLength(2);
    for (const line of claimed) expect(line.jobId).not.toBe('on start');
  } finally {
    await worker.stop();
  }
});

/** Holds graphile-worker's job fetch (getJobs.js) back `ms` before it is sent, until the returned function is called. */
function delayJobFetch(ms: number): () => void {
  return interceptQueries(db.pool, async (query, args) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first.text ?? '');
    if (text.includes('_private_jobs') && text.includes('skip locked'))
      await new Promise((r) => setTimeout(r, ms));
    return query(...args);
  });
}

/** [chunk id, job id] of each 'claimed chunk' line, by chunk id. */
function claimedBy(lines: Array<Record<string, unknown>>) {
  return lines
    .filter((line) => line.msg === 'claimed chunk')
    .map((line) => [line.chunkId, line.jobId])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

async function chunksOfRun(runId: number) {
  const { rows } = await db.pool.query(
    'select id, status, attempt, losses from chunks where run_id = $1 order by id',
    [runId],
  );
  return rows;
}

async function jobsLeft(): Promise<number> {
  const { rows } = await db.pool.query(
    "select count(*)::int as n from graphile_worker.jobs where task_identifier = 'glaze_chunk'",
  );
  return rows[0].n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
