import type { TestDatabase } from '@glaze/db/testing';
import { createToken, revokeToken } from '@glaze/engine';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { interceptQueries, testDatabase } from '../../../packages/engine/test/helpers';
import { AuthCache } from '../src/auth/auth-cache';

/**
 * A cache hit rests on the revocation epoch as read at most `epochCheckMs` ago. A hit in the window's
 * second half reads the next epoch ahead without waiting for it; past the window a hit waits for it.
 * The epoch reads are held at a gate here, so a hit that waited for one cannot answer until it opens.
 */
let db: TestDatabase;
let token: string;
let tokenId: number;
let open: () => void = () => {};
let gate = Promise.resolve();
let epochReads = 0;
let epochReadsDone = 0;
let stop: () => void = () => {};

beforeAll(async () => {
  db = await testDatabase();
  const { rows } = await db.pool.query(`insert into workspaces (name) values ('epoch') returning id`);
  ({ token, id: tokenId } = await createToken(db.pool, { workspaceId: rows[0].id, name: 'ahead' }));
  stop = interceptQueries(db.pool, async (query, args) => {
    const text = String((args[0] as { text?: string }).text ?? args[0]);
    if (text.includes('auth_epoch') && !text.includes('update')) {
      epochReads++;
      await gate;
      try {
        return await query(...args);
      } finally {
        epochReadsDone++;
      }
    }
    return query(...args);
  });
});
afterAll(async () => {
  stop();
  await db.drop();
});
afterEach(() => {
  vi.useRealTimers();
  // a failed test must not leave the next one's epoch reads held
  open();
  gate = Promise.resolve();
});

const closeGate = () => {
  gate = new Promise<void>((resolve) => {
    open = resolve;
  });
};
/** Whether `promise` settles within a few turns of the event loop (no timer: Date is faked). */
const settlesSoon = async (promise: Promise<unknown>) => {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  for (let i = 0; i < 50 && !settled; i++) await new Promise((resolve) => setImmediate(resolve));
  return settled;
};

it('answers a hit in the window’s second half at once, reading the next epoch beside it', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const start = Date.now();
  const cache = new AuthCache(db.pool, { epochCheckMs: 1000 });
  const credential = { kind: 'token' as const, value: token };
  // a miss, then a hit that reads the epoch the entry is checked against
  expect((await cache.ownerOf(credential))?.tokenId).toEqual(tokenId);
  expect((await cache.ownerOf(credential))?.tokenId).toEqual(tokenId);

  // first half: no read at all
  vi.setSystemTime(start + 300);
  const before = epochReads;
  expect((await cache.ownerOf(credential))?.tokenId).toEqual(tokenId);
  expect(epochReads).toBe(before);

  // second half: the read starts, held at the gate, and the hit does not wait for it
  closeGate();
  vi.setSystemTime(start + 700);
  const ahead = cache.ownerOf(credential);
  expect(await settlesSoon(ahead)).toBe(true);
  expect((await ahead)?.tokenId).toEqual(tokenId);
  expect(epochReads).toBe(before + 1);
  open();
  await vi.waitFor(() => expect(epochReadsDone).toBe(epochReads));
  await settlesSoon(Promise.resolve());

  // past the window of the epoch read at 700: a hit waits for the next read
  closeGate();
  vi.setSystemTime(start + 1800);
  const late = cache.ownerOf(credential);
  expect(await settlesSoon(late)).toBe(false);
  open();
  expect((await late)?.tokenId).toEqual(tokenId);
});

it('still stops a revoked token within the window', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const start = Date.now();
  const cache = new AuthCache(db.pool, { epochCheckMs: 1000 });
  const credential = { kind: 'token' as const, value: token };
  expect((await cache.ownerOf(credential))?.tokenId).toEqual(tokenId);
  expect(await revokeToken(db.pool, tokenId)).toBe(true);
  // the read ahead in the second half sees the new epoch; the hit it came with may still pass
  vi.setSystemTime(start + 600);
  await cache.ownerOf(credential);
  vi.setSystemTime(start + 1000);
  await vi.waitFor(async () => expect(await cache.ownerOf(credential)).toBeUndefined());
});
