import type { Logger, Pool } from '@glaze/db';
import { budgetReason } from '../budget/budget-reason';
import { cancelRun } from '../runs/cancel-run';
import type { RunTotals } from './flush-results';

/**
 * The flusher's `onRuns` hook: a run whose written cost reached its budget (calls that cost more
 * than estimated) is cancelled at once, its remaining cells `cancelled` with the reason.
 */
export function watchBudgets(pool: Pool, logger: Logger): (runs: RunTotals[]) => void {
  const stopping = new Set<number>();
  return (runs) => {
    for (const run of runs) {
      if (run.status !== 'running' || run.budget === null || run.cost < run.budget) continue;
      if (stopping.has(run.id)) continue;
      stopping.add(run.id);
      cancelRun(pool, run.id, { reason: budgetReason(run.budget, run.cost) })
        .then((cancelled) => {
          if (cancelled)
            logger.info({ runId: run.id, cost: run.cost, budget: run.budget }, 'run stopped at its budget');
        })
        .catch((error) => logger.warn({ err: error, runId: run.id }, 'stopping a run at its budget failed'))
        .finally(() => stopping.delete(run.id));
    }
  };
}
