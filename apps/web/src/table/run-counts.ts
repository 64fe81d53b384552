import type { Run } from '../api/types';

export type CountState = 'done' | 'error' | 'skipped' | 'cancelled' | 'running' | 'queued' | 'pending';

/**
 * A run's cells per state, finished states first. When the split of unfinished cells into running
 * and queued is unknown (change-feed snapshots carry only `pending`), they show as `pending`.
 */
export function runCounts(run: Run): { state: CountState; count: number }[] {
  const c = run.counts;
  const finished = c.done + c.error + c.skipped + c.cancelled;
  const out: { state: CountState; count: number }[] = [
    { state: 'done', count: c.done },
    { state: 'error', count: c.error },
    { state: 'skipped', count: c.skipped },
    { state: 'cancelled', count: c.cancelled },
  ];
  if (c.running !== undefined && c.queued !== undefined) {
    out.push({ state: 'running', count: c.running }, { state: 'queued', count: c.queued });
  } else if (run.status === 'running') {
    out.push({ state: 'pending', count: run.pending ?? Math.max(0, run.total - finished) });
  }
  return out;
}

export function settledCount(run: Run): number {
  const c = run.counts;
  return c.done + c.error + c.skipped + c.cancelled;
}

/**
 * Seconds a run has taken: from its timestamps once finished; while running, the server's
 * `elapsedSeconds` (when it sent one) carried forward by the local clock since it arrived, else
 * the time since `createdAt`.
 */
export function runElapsed(run: Run, now: number, received?: { at: number; seconds: number }): number {
  const created = Date.parse(run.createdAt);
  if (run.finishedAt) return Math.max(0, (Date.parse(run.finishedAt) - created) / 1000);
  if (received) return received.seconds + Math.max(0, now - received.at) / 1000;
  return Math.max(0, (now - created) / 1000);
}
