import { expect, it } from 'vitest';
import { Limiter } from '../src/limits/limiter';

const column = 7;
const other = 8;
const tick = () => new Promise((resolve) => setImmediate(resolve));

it('admits at most max callers and hands each freed slot to the longest waiter', async () => {
  const limiter = new Limiter(2);
  expect(limiter.enter(column)).toBeUndefined();
  expect(limiter.enter(column)).toBeUndefined();
  const order: string[] = [];
  const third = limiter.enter(column);
  const fourth = limiter.enter(column);
  expect(third).toBeInstanceOf(Promise);
  expect(fourth).toBeInstanceOf(Promise);
  void third?.then(() => order.push('third'));
  void fourth?.then(() => order.push('fourth'));
  await Promise.resolve();
  expect(order).toEqual([]);
  limiter.leave(column); // the slot passes to `third`; `fourth` still waits
  await tick();
  expect(order).toEqual(['third']);
  // A newcomer does not jump the queue: both slots are taken (one first caller, `third`).
  expect(limiter.enter(column)).toBeInstanceOf(Promise);
  limiter.leave(column);
  await tick();
  expect(order).toEqual(['third', 'fourth']);
});

it('frees a slot for a later caller once nobody waits', () => {
  const limiter = new Limiter(1);
  expect(limiter.enter(column)).toBeUndefined();
  limiter.leave(column);
  expect(limiter.enter(column)).toBeUndefined();
});

it("bounds a column's calls by what its answers weigh: 16 before the first answer, then the budget's worth", async () => {
  const limiter = new Limiter(200, 1000);
  for (let i = 0; i < 16; i++) expect(limiter.enter(column)).toBeUndefined();
  const waiting = limiter.enter(column);
  expect(waiting).toBeInstanceOf(Promise);
  // the first answer weighs 400 characters: two such calls fit in 1,000, and 16 are in flight
  limiter.hold(column, 400);
  limiter.release(400); // written
  for (let i = 0; i < 14; i++) limiter.leave(column);
  let admitted = false;
  void waiting?.then(() => {
    admitted = true;
  });
  await tick();
  expect(admitted).toBe(false); // two still in flight
  limiter.leave(column);
  await tick();
  expect(admitted).toBe(true);
  expect(limiter.enter(column)).toBeInstanceOf(Promise); // two in flight again
});

it('starts no call while unwritten answers fill the budget, and starts them once written', async () => {
  const limiter = new Limiter(200, 1000);
  expect(limiter.enter(column)).toBeUndefined();
  limiter.hold(column, 10); // small answers: 100 fit
  limiter.hold(other, 1500); // but another column's answers wait for their write
  const waiting = limiter.enter(column);
  expect(waiting).toBeInstanceOf(Promise);
  let admitted = false;
  void waiting?.then(() => {
    admitted = true;
  });
  await tick();
  expect(admitted).toBe(false);
  limiter.release(1500);
  await tick();
  expect(admitted).toBe(true);
});

it("never holds a column's calls back for another column's calls in flight", () => {
  const limiter = new Limiter(200, 1000);
  // a column whose 16 calls hang (a provider that throttles them for 30 s): nothing known of it
  for (let i = 0; i < 16; i++) limiter.enter(column);
  expect(limiter.enter(column)).toBeInstanceOf(Promise);
  // another column's calls go out all the same
  for (let i = 0; i < 16; i++) expect(limiter.enter(other)).toBeUndefined();
});

it('always lets one call through when none is in flight, however large its answers', () => {
  const limiter = new Limiter(200, 1000);
  limiter.hold(column, 50_000); // one answer alone is fifty times the budget, and not yet written
  expect(limiter.enter(column)).toBeUndefined();
  expect(limiter.enter(column)).toBeInstanceOf(Promise);
});

it('bounds nothing but slots without a budget', () => {
  const limiter = new Limiter(3);
  limiter.hold(column, 10 ** 12);
  expect([limiter.enter(column), limiter.enter(column), limiter.enter(column)]).toEqual([
    undefined,
    undefined,
    undefined,
  ]);
  expect(limiter.enter(other)).toBeInstanceOf(Promise);
});
