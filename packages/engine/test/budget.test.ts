import type { AnyProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { getRun, startRun } from '../src/index';
import { scriptedProvider, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

let calls = 0;
let price = (_input: string) => 10;
const paid = scriptedProvider('paid', async (input) => {
  calls++;
  await new Promise((r) => setTimeout(r, 5));
  return { kind: 'ok', value: input, cost: price(input) };
});
const providers = new Map<string, AnyProvider>([...builtinProviders, ['paid', paid]]);

async function cellStates(columnId: number) {
  const { rows } = await db.pool.query(
    `select status, error, cost from cells where column_id = $1 order by row_id`,
    [columnId],
  );
  return rows;
}

it('stops a run before it exceeds its budget and cancels the remaining cells with the reason', async () => {
  const { column } = await seedTable(db, { rows: 40, provider: 'paid', providers });
  calls = 0;
  price = () => 10;
  const worker = await startTestWorker(db, { providers });
  let runId = 0;
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', budget: 100, chunkSize: 5 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('cancelled');
  } finally {
    await worker.stop();
  }
  const run = await getRun(db.pool, runId);
  // A fixed price: the first call measures it, then exactly as many calls as fit are made.
  expect(run?.cost).toBe(100);
  expect(calls).toBe(10);
  expect(run?.cancelReason).toBe('budget of 100 reached (spent 100)');
  expect(run?.counts).toMatchObject({ done: 10, cancelled: 30, queued: 0, running: 0 });
  const cells = await cellStates(column.id);
  expect(cells.filter((c) => c.status === 'done').length).toBe(10);
  for (const cell of cells.filter((c) => c.status === 'cancelled'))
    expect(cell.error).toBe('budget of 100 reached (spent 100)');
  // nothing stays reserved once the run is over
  const { rows } = await db.pool.query('select budget_reserved, budget_calls from runs where id = $1', [
    runId,
  ]);
  expect(rows[0]).toEqual({ budget_reserved: 0, budget_calls: 0 });
});

it('two workers together stay within the budget too', async () => {
  const { column } = await seedTable(db, { rows: 60, provider: 'paid', providers });
  calls = 0;
  price = () => 2.5;
  const workers = await Promise.all([startTestWorker(db, { providers }), startTestWorker(db, { providers })]);
  let runId = 0;
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', budget: 51, chunkSize: 4 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('cancelled');
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  const run = await getRun(db.pool, runId);
  expect(run?.cost).toBe(50); // 20 calls of 2.5; a 21st would make 52.5 > 51
  expect(calls).toBe(20);
  expect(run?.cancelReason).toBe('budget of 51 reached (spent 50)');
});

it('calls that cost more than the average overshoot by at most the calls in flight, and the run stops', async () => {
  const { column } = await seedTable(db, { rows: 30, provider: 'paid', providers });
  calls = 0;
  // The first call is cheap, the rest dear: the estimate trails the real price.
  price = (input) => (input === 'value-1' ? 1 : 20);
  const worker = await startTestWorker(db, { providers });
  let runId = 0;
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', budget: 100, chunkSize: 30 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('cancelled');
  } finally {
    await worker.stop();
  }
  const run = await getRun(db.pool, runId);
  expect(run?.cancelReason).toMatch(/^budget of 100 reached \(spent \d+(\.\d+)?\)$/);
  expect(run?.counts.cancelled).toBeGreaterThan(0);
  // After the first call the estimate is 1, which alone would let 29 calls of 20 (580) start at once.
  // Waves no larger than the calls paid for so far, and at most half the remaining budget, keep the
  // surprise to the last call: 1 + 20 + 2×20 + 20 + 20 = 101.
  expect(run?.cost).toBe(101);
  expect(calls).toBe(6);
});

it('a run without a budget is not held back', async () => {
  const { column } = await seedTable(db, { rows: 20, provider: 'paid', providers });
  calls = 0;
  price = () => 1000;
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, run.id)).toBe('done');
    expect((await getRun(db.pool, run.id))?.cost).toBe(20_000);
  } finally {
    await worker.stop();
  }
  expect(calls).toBe(20);
});

it('a budget below one call’s known price makes no call and says so', async () => {
  const { column } = await seedTable(db, { rows: 6, provider: 'paid', providers });
  price = () => 0.125;
  const worker = await startTestWorker(db, { providers });
  let runId = 0;
  try {
    // The column's first run teaches Glaze its price: 0.125 a call.
    const first = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, first.id)).toBe('done');
    calls = 0;
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', budget: 0.1 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('cancelled');
  } finally {
    await worker.stop();
  }
  expect(calls).toBe(0);
  const run = await getRun(db.pool, runId);
  expect(run?.cost ?? 0).toBe(0);
  const reason = "budget of 0.1 is below one call's price (0.125): no call was made";
  expect(run?.cancelReason).toBe(reason);
  const cells = await cellStates(column.id);
  expect(cells).toHaveLength(6);
  for (const cell of cells) expect(cell).toMatchObject({ status: 'cancelled', error: reason });
});

it('at the known price, no call starts that would take the run over its budget', async () => {
  const { column } = await seedTable(db, { rows: 10, provider: 'paid', providers });
  price = () => 0.125;
  const worker = await startTestWorker(db, { providers });
  let runId = 0;
  try {
    const first = await startRun(db.pool, { columnId: column.id, scope: 'all' });
    expect(await waitForRun(db, first.id)).toBe('done');
    calls = 0;
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', budget: 0.3, chunkSize: 2 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('cancelled');
  } finally {
    await worker.stop();
  }
  // 0.3 holds two calls at 0.125, not a third.
  expect(calls).toBe(2);
  const run = await getRun(db.pool, runId);
  expect(run?.cost).toBe(0.25);
  expect(run?.cancelReason).toBe('budget of 0.3 reached (spent 0.25)');
});
