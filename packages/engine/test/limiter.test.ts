import { expect, it } from 'vitest';
import { Limiter } from '../src/limits/limiter';

it('admits at most max callers and hands each freed slot to the longest waiter', async () => {
  const limiter = new Limiter(2);
  expect(limiter.enter()).toBeUndefined();
  expect(limiter.enter()).toBeUndefined();
  const order: string[] = [];
  const third = limiter.enter();
  const fourth = limiter.enter();
  expect(third).toBeInstanceOf(Promise);
  expect(fourth).toBeInstanceOf(Promise);
  void third?.then(() => order.push('third'));
  void fourth?.then(() => order.push('fourth'));
  await Promise.resolve();
  expect(order).toEqual([]);
  limiter.leave(); // the slot passes to `third`; `fourth` still waits
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['third']);
  // A newcomer does not jump the queue: both slots are taken (one first caller, `third`).
  expect(limiter.enter()).toBeInstanceOf(Promise);
  limiter.leave();
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['third', 'fourth']);
});

it('frees a slot for a later caller once nobody waits', () => {
  const limiter = new Limiter(1);
  expect(limiter.enter()).toBeUndefined();
  limiter.leave();
  expect(limiter.enter()).toBeUndefined();
});
