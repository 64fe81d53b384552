import { silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { setRateLimit } from '../src/index';
import { RateLimits } from '../src/limits/rate-limits';
import { createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

// The worker skips the promise of `acquire` when `acquireNow` says nothing can hold a call back.
// It must say so only when it knows: limit read, none set, no pause.
it('acquireNow answers at once only when the limit is known to be absent and no pause is on', async () => {
  const workspaceId = await createWorkspace(db);
  const limits = new RateLimits(db.pool, silentLogger, { configTtlMs: 200 });
  const gate = limits.gate(workspaceId, 'mock');
  expect(gate.acquireNow()).toBeUndefined(); // not read yet
  (await gate.acquire(new AbortController().signal))();
  expect(gate.acquireNow()).toBeTypeOf('function');

  gate.pause(300);
  expect(gate.acquireNow()).toBeUndefined(); // paused
  await new Promise((resolve) => setTimeout(resolve, 350));
  expect(gate.acquireNow()).toBeUndefined(); // the pause is over, but the limit read is stale
  (await gate.acquire(new AbortController().signal))(); // reads it again
  expect(gate.acquireNow()).toBeTypeOf('function');

  await setRateLimit(db.pool, { workspaceId, provider: 'mock', requestsPerSecond: 5 });
  await new Promise((resolve) => setTimeout(resolve, 250)); // past configTtlMs: the read is stale
  expect(gate.acquireNow()).toBeUndefined();
  (await gate.acquire(new AbortController().signal))();
  expect(gate.acquireNow()).toBeUndefined(); // a limit is set: every call goes through acquire
  await limits.close();
});
