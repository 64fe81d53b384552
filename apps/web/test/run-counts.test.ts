import { describe, expect, it } from 'vitest';
import { runCounts, runElapsed } from '../src/table/run-counts';
import { run, runChange } from './helpers';

describe('run counts', () => {
  it('shows running and queued when the server split them', () => {
    const r = run(1, 'running', 4, {
      counts: { done: 4, error: 1, skipped: 0, cancelled: 0, running: 3, queued: 2 },
    });
    expect(runCounts(r).map((c) => `${c.state} ${c.count}`)).toEqual([
      'done 4',
      'error 1',
      'skipped 0',
      'cancelled 0',
      'running 3',
      'queued 2',
    ]);
  });

  it('shows pending when a feed snapshot carries only the finished counts', () => {
    const r = runChange(1, 'running', 4, 1, {
      counts: { done: 4, error: 1, skipped: 0, cancelled: 0 },
      pending: 5,
    });
    expect(runCounts(r).at(-1)).toEqual({ state: 'pending', count: 5 });
    const finished = runChange(1, 'done', 10, 2, { pending: 0 });
    expect(runCounts(finished).map((c) => c.state)).not.toContain('pending');
  });
});

describe('runElapsed', () => {
  const createdAt = '2025-01-01T00:00:00.000Z';
  const start = Date.parse(createdAt);

  it('takes a finished run from its timestamps', () => {
    const r = run(1, 'done', 10, { createdAt, finishedAt: '2025-01-01T00:00:04.500Z' });
    expect(runElapsed(r, start + 99_000)).toBe(4.5);
  });

  it('carries the server elapsed time forward by the local clock, else counts from createdAt', () => {
    const r = run(1, 'running', 1, { createdAt });
    expect(runElapsed(r, Date.now() + 2000, { at: Date.now(), seconds: 3 })).toBeCloseTo(5, 1);
    expect(runElapsed(r, start + 7000)).toBe(7);
  });
});
