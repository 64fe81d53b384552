import { expect, it } from 'vitest';
import { DatabaseClock } from '../src/limits/database-clock';

// The database's clock runs 4,000 ms behind this process's: an answer is never early, often late.
it('maps the database clock by the least delay seen, so an answer held up does not move its slots', () => {
  const clock = new DatabaseClock();
  expect(clock.toLocal(1000, 5002)).toBe(5002); // 2 ms on its way: the best reading yet
  expect(clock.toLocal(1100, 5200)).toBe(5102); // 100 ms on its way: placed as the 2 ms one says
  expect(clock.toLocal(1200, 5201)).toBe(5201); // 1 ms: a better reading wins at once
  // Readings older than 10 s no longer count: the clocks may have drifted since.
  expect(clock.toLocal(12_000, 16_050)).toBe(16_050);
});
