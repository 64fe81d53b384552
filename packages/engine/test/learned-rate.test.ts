import { expect, it } from 'vitest';
import { AdaptiveCap } from '../src/limits/adaptive-cap';
import { LearnedRate } from '../src/limits/learned-rate';

it('the learned rate is the middle of the bounds its answers narrow, and starts again when the limit moves', () => {
  const learned = new LearnedRate();
  expect(learned.add({ low: 0, high: 400 })).toBe(200); // one call used: little known
  expect(learned.add({ low: 190, high: 260 })).toBe(225);
  expect(learned.add({ low: 150, high: 210 })).toBe(200); // intersected: 190..210
  expect(learned.add({ low: 199, high: 201 })).toBe(200);
  // The provider raised its limit: the new answer is outside the old bounds.
  expect(learned.add({ low: 390, high: 410 })).toBe(400);
});

it('a slow-start cap doubles each round of successes, lifts at 32 times its start, and halves on a 429', () => {
  const cap = new AdaptiveCap(2);
  expect(cap.tryTake()).toBe(true);
  expect(cap.tryTake()).toBe(true);
  expect(cap.tryTake()).toBe(false); // 2 before any answer
  cap.release();
  cap.release();
  cap.succeeded();
  cap.succeeded();
  expect(cap.current).toBe(4); // two answers: twice as many
  for (let i = 0; i < 59; i++) cap.succeeded();
  expect(cap.current).toBe(63);
  cap.succeeded();
  expect(cap.current).toBeUndefined(); // 64 = 32 × 2: no cap any more
  const throttled = new AdaptiveCap(8);
  for (let i = 0; i < 8; i++) throttled.tryTake();
  throttled.throttled(); // 8 in flight + the refused one: 9 → 4, then AIMD
  expect(throttled.current).toBe(4);
  throttled.succeeded();
  expect(throttled.current).toBe(4); // no longer one per success
});
