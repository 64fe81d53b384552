import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { setRateLimit } from '../src/index';
import { RateLimits } from '../src/limits/rate-limits';
import { busiestWindow, createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

// A learned rate paces calls with the provider's own burst as slack (no jitter spacing, slots up to a
// quarter second late or in the past). A configured rate has no such slack, and it must hold from the
// first slot taken after it is set, not only once each worker has read it again (up to configTtlMs).
it('a rate configured over a learned one holds at once, with none of the learned rate’s slack', async () => {
  const workspaceId = await createWorkspace(db);
  // Another worker learned 10/s from the provider's quota headers.
  await db.pool.query(
    `insert into rate_limits (workspace_id, provider, learned_requests_per_second) values ($1, 'mock', 10)`,
    [workspaceId],
  );
  // This worker read that (no rate configured) and will not read the limit again during the test.
  const limits = new RateLimits(db.pool, silentLogger, { configTtlMs: 60_000 });
  const gate = limits.gate(workspaceId, 'mock');
  (await gate.acquire(new AbortController().signal))();
  await new Promise((resolve) => setTimeout(resolve, 400)); // its slots are in the past now

  await setRateLimit(db.pool, { workspaceId, provider: 'mock', requestsPerSecond: 10 });
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      const release = await gate.acquire(new AbortController().signal);
      starts.push(performance.now());
      release();
    }),
  );
  await limits.close();
  expect(starts.length).toBe(25);
  // With the learned rate's slack the first slots are from the last quarter second, all used at once,
  // then one every 100 ms: 12 or 13 in the first second.
  expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
});
