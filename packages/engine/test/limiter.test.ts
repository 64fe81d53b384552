import { expect, it } from 'vitest';
import { Limiter } from '../src/limits/limiter';

const column = 7;
const tick = () => new Promise((resolve) => setImmediate(resolve));

it('admits at most max callers and hands each freed slot to the longest waiter', async () => {
  const limiter = new Limiter(2);
  expect(limiter.enter(column)).toBe(0);
  expect(limiter.enter(column)).toBe(0);
  const order: string[] = [];
  const third = limiter.enter(column);
  const fourth = limiter.enter(column);
  expect(third).toBeInstanceOf(Promise);
  expect(fourth).toBeInstanceOf(Promise);
  void (third as Promise<number>).then(() => order.push('third'));
  void (fourth as Promise<number>).then(() => order.push('fourth'));
  await Promise.resolve();
  expect(order).toEqual([]);
  limiter.leave(0); // the slot passes to `third`; `fourth` still waits
  await tick();
  expect(order).toEqual(['third']);
  // A newcomer does not jump the queue: both slots are taken (one first caller, `third`).
  expect(limiter.enter(column)).toBeInstanceOf(Promise);
  limiter.leave(0);
  await tick();
  expect(order).toEqual(['third', 'fourth']);
});

it('frees a slot for a later caller once nobody waits', () => {
  const limiter = new Limiter(1);
  expect(limiter.enter(column)).toBe(0);
  limiter.leave(0);
  expect(limiter.enter(column)).toBe(0);
});

it("keeps a column's answers in memory within the budget, learning their size from the first", async () => {
  // 1,600 characters: a column not yet heard from is expected to bring 100 a call, so 16 go out
  const limiter = new Limiter(200, 1600);
  const costs: number[] = [];
  for (let i = 0; i < 16; i++) costs.push(limiter.enter(column) as number);
  expect(costs).toEqual(Array(16).fill(100));
  const waiting = limiter.enter(column);
  expect(waiting).toBeInstanceOf(Promise);
  // the first answer is 400 characters: that is what the column's calls now expect
  limiter.hold(column, 400);
  limiter.leave(100);
  // 15 × 100 in flight + 400 held + 400 for the waiter = 2,300: still over the budget
  await tick();
  let admitted: number | undefined;
  void (waiting as Promise<number>).then((cost) => {
    admitted = cost;
  });
  await tick();
  expect(admitted).toBeUndefined();
  // three calls end without answers held: 12 × 100 + 400 + 400 = 2,000, still over; the write of the
  // held answer frees its 400: 1,600 fits
  for (let i = 0; i < 3; i++) limiter.leave(100);
  await tick();
  expect(admitted).toBeUndefined();
  limiter.release(400);
  await tick();
  expect(admitted).toBe(400);
});

it('always lets one call through when none is in flight, however large its answers', () => {
  const limiter = new Limiter(200, 1000);
  limiter.hold(column, 50_000); // one answer alone is fifty times the budget, and not yet written
  const first = limiter.enter(column);
  expect(first).toBe(50_000);
  expect(limiter.enter(column)).toBeInstanceOf(Promise);
});

it('expects nothing and bounds nothing but slots without a budget', () => {
  const limiter = new Limiter(3);
  limiter.hold(column, 10 ** 12);
  expect([limiter.enter(column), limiter.enter(column), limiter.enter(column)]).toEqual([
    10 ** 12,
    10 ** 12,
    10 ** 12,
  ]);
});
