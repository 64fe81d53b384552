import type { AnyProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import {
  cellsOf,
  scriptedProvider,
  seedTable,
  startTestWorker,
  useTestDatabase,
  waitForRun,
} from './helpers';

const db = useTestDatabase();

const calls = new Map<string, number>();
const flaky = scriptedProvider('flaky', async (input, attempt) => {
  calls.set(input, (calls.get(input) ?? 0) + 1);
  if (input === 'value-1' && attempt <= 2) return { kind: 'retryable', message: 'HTTP 503 from upstream' };
  if (input === 'value-2') return { kind: 'retryable', message: 'HTTP 429 rate limited', retryAfterMs: 5 };
  if (input === 'value-3') return { kind: 'permanent', message: 'HTTP 404: no such person' };
  if (input === 'value-4') throw new Error('socket hang up');
  return { kind: 'ok', value: input.toUpperCase() };
});
const providers = new Map<string, AnyProvider>([...builtinProviders, ['flaky', flaky]]);

it('retries retryable failures with backoff, stops at maxAttempts, and never retries permanent ones', async () => {
  const { column } = await seedTable(db, { rows: 5, provider: 'flaky', providers });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 3 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const cells = await cellsOf(db, column.id);
  expect(cells[0]).toMatchObject({ status: 'done', value: 'VALUE-1', tries: 3 });
  expect(cells[1]).toMatchObject({ status: 'error', tries: 3 });
  expect(cells[1].error).toBe('HTTP 429 rate limited (gave up after 3 tries)');
  expect(cells[2]).toMatchObject({ status: 'error', error: 'HTTP 404: no such person', tries: 1 });
  expect(cells[3]).toMatchObject({ status: 'error', tries: 3 });
  expect(cells[3].error).toMatch(/socket hang up/);
  expect(cells[4]).toMatchObject({ status: 'done', value: 'VALUE-5', tries: 1 });
  expect(calls.get('value-3')).toBe(1);
  expect(calls.get('value-2')).toBe(3);
});
