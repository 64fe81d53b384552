import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { setRateLimit } from '../src/index';
import { RateLimits } from '../src/limits/rate-limits';
import { limitStatements } from '../src/limits/statements';
import { createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

// Slots a worker holds are not recalled by a pause another worker writes, so take-slots.sql hands out
// none more than 200 ms ahead, however many calls wait. Before, a worker with 15 calls waiting at
// 20/s took three batches in 25 ms, slots up to ~0.8 s ahead, and sent on them through the pause.
it('a pause another worker writes holds this worker within 200 ms, however many calls it has waiting', async () => {
  const workspaceId = await createWorkspace(db);
  await setRateLimit(db.pool, { workspaceId, provider: 'mock', requestsPerSecond: 20 });
  const limits = new RateLimits(db.pool, silentLogger);
  const gate = limits.gate(workspaceId, 'mock');
  const signal = new AbortController().signal;
  const started = performance.now();
  const calls = Array.from({ length: 15 }, async () => {
    const release = await gate.acquire(signal);
    release();
    return performance.now();
  });
  // Long enough for every batch the waiting calls would take, short of their slots' times.
  await new Promise((resolve) => setTimeout(resolve, 60));
  // Another worker's 429 with Retry-After: 1 (its gate writes this statement).
  await db.pool.query({ ...limitStatements.pauseProvider, values: [workspaceId, 'mock', 1000] });
  const paused = performance.now();
  const times = await Promise.all(calls);
  await limits.close();

  // A slot taken before the pause was written lies at most 200 ms after it, used at most 20 ms late.
  const during = times.filter((t) => t > paused + 250 && t < paused + 950);
  expect(during).toEqual([]);
  expect(times.filter((t) => t < paused).length).toBeGreaterThan(0); // calls went before the pause
  expect(Math.max(...times) - started).toBeGreaterThan(1000); // and the rest after it
});
