import type { RunSnapshot } from '@glaze/core';

export type CountState = 'done' | 'error' | 'skipped' | 'cancelled' | 'running' | 'queued' | 'pending';

/**
 * A run's cells per state, finished states first. When the split of unfinished cells into running
 * and queued is unknown (change-feed snapshots carry only `pending`), they show as `pending`.
 */
export function runCounts(run: RunSnapshot): { state: CountState; count: number }[] {
  const c = run.counts;
  const out: { state: CountState; count: number }[] = [
    { state: 'done', count: c.done },
    { state: 'error', count: c.error },
    { state: 'skipped', count: c.skipped },
    { state: 'cancelled', count: c.cancelled },
  ];
  if ('running' in c) {
    out.push({ state: 'running', count: c.running }, { state: 'queued', count: c.queued });
  } else if (run.status === 'running' && 'pending' in run) {
    out.push({ state: 'pending', count: run.pending });
  }
  return out;
}

/**
 * Seconds a run has taken: from its timestamps once finished; while running, the server's
 * `elapsedSeconds` (when it sent one) carried forward by the local clock since it arrived, else
 * the time since `createdAt`.
 */
export function runElapsed(
  run: RunSnapshot,
  now: number,
  received?: { at: number; seconds: number },
): number {
  const created = Date.parse(run.createdAt);
  if (run.finishedAt) return Math.max(0, (Date.parse(run.finishedAt) - created) / 1000);
  if (received) return received.seconds + Math.max(0, now - received.at) / 1000;
  return Math.max(0, (now - created) / 1000);
}
