import { abortableSleep } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { budgetReason } from './budget-reason';
import { budgetStatements } from './statements';

interface Grant {
  granted: number;
  estimate: number | null;
  cost: number;
  budget: number;
  status: string;
}

export interface BudgetScope {
  pool: Pool;
  runId: number;
  /** The run's budget; null runs everything at once. */
  budget: number | null;
  /** Aborted when the chunk is no longer ours. */
  stop: AbortSignal;
  /** How long to wait when other calls hold the rest of the budget. */
  retryMs?: number;
}

export interface BudgetOutcome<T> {
  /** Items not run: the budget ran out, or the run ended. */
  notRun: T[];
  /** Set when the budget ran out: the reason to cancel the run with. */
  exhausted?: string;
}

/**
 * Runs `items` (provider calls of one run), within its budget when it has one. Calls go in waves:
 * one statement reserves the estimated cost of as many calls as fit (and releases the previous
 * wave's reservation once its real cost is written), the wave runs, and so on. A run with no cost
 * known yet probes one call at a time across all workers.
 *
 * Guarantee: a call starts only if spent + reserved + estimate <= budget, so the run overshoots
 * only by how much calls in flight cost above the run's average at the time (0 for a provider
 * with a fixed price per call). Waves grow no faster than calls are paid for and take at most
 * half the remaining budget, so a price that jumps is noticed after a few calls. A worker that
 * dies holding a reservation makes the run stop early, never late.
 */
export async function runWithinBudget<T>(
  scope: BudgetScope,
  items: readonly T[],
  run: (item: T) => Promise<unknown>,
): Promise<BudgetOutcome<T>> {
  if (scope.budget === null) {
    await Promise.all(items.map(run));
    return { notRun: [] };
  }
  let release = { calls: 0, amount: 0 };
  let next = 0;
  try {
    while (next < items.length) {
      if (scope.stop.aborted) break;
      const grant = await reserve(scope, release, items.length - next);
      release = { calls: 0, amount: 0 };
      if (grant.status !== 'running') break;
      if (grant.granted === 0) {
        const spent = grant.cost;
        if (spent >= grant.budget || (grant.estimate !== null && grant.budget - spent < grant.estimate))
          return { notRun: items.slice(next), exhausted: budgetReason(grant.budget, spent, grant.estimate) };
        // Calls in flight (elsewhere) hold the rest: wait for their cost to be known.
        await abortableSleep(scope.retryMs ?? 100, scope.stop).catch(() => {});
        continue;
      }
      const wave = items.slice(next, next + grant.granted);
      next += wave.length;
      await Promise.all(wave.map(run));
      // The wave's real cost (and its calls, for the average) is written by now: release its reservation.
      release = { calls: wave.length, amount: wave.length * (grant.estimate ?? 0) };
    }
    return { notRun: items.slice(next) };
  } finally {
    if (release.calls > 0) await reserve(scope, release, 0).catch(() => {});
  }
}

async function reserve(
  scope: BudgetScope,
  release: { calls: number; amount: number },
  wanted: number,
): Promise<Grant> {
  const { rows } = await scope.pool.query({
    ...budgetStatements.reserveBudget,
    values: [scope.runId, release.calls, release.amount, wanted],
  });
  const row = rows[0];
  if (!row) return { granted: 0, estimate: null, cost: 0, budget: 0, status: 'gone' };
  return {
    granted: Number(row.granted),
    estimate: row.estimate === null ? null : Number(row.estimate),
    cost: Number(row.cost),
    budget: Number(row.budget),
    status: row.status,
  };
}
