import { sleepUnlessAborted } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { cancelRun, getRun, type RunProgress, startRun } from '@glaze/engine';
import type { ColumnProgress, ProgressView } from './progress';

export interface PlannedColumn {
  id: number;
  name: string;
  /** Indexes of earlier columns whose values this one reads: it starts when they have finished. */
  after: number[];
}

export interface RunColumnsOptions {
  rows: number;
  progress: ProgressView;
  /** Aborting cancels the runs in flight (Ctrl-C). */
  signal: AbortSignal;
  pollMs?: number;
}

/**
 * Runs every column over all rows. A column starts as soon as the columns it reads have finished,
 * so independent columns run side by side and a column reading another sees its values. Progress
 * comes from polling `getRun` (one cheap statement per active run).
 */
export async function runColumns(
  pool: Pool,
  columns: readonly PlannedColumn[],
  options: RunColumnsOptions,
): Promise<RunProgress[]> {
  const state: ColumnProgress[] = columns.map((c) => ({ name: c.name, total: options.rows }));
  const finished = (i: number) => state[i]?.run !== undefined && state[i].run.status !== 'running';
  const pollMs = options.pollMs ?? 250;
  while (!state.every((_, i) => finished(i))) {
    if (options.signal.aborted) {
      for (const { run } of state) if (run?.status === 'running') await cancelRun(pool, run.id);
      break;
    }
    for (const [i, column] of columns.entries()) {
      const entry = state[i] as ColumnProgress;
      if (entry.run || !column.after.every(finished)) continue;
      const started = await startRun(pool, { columnId: column.id, scope: 'all' });
      entry.run = await getRun(pool, started.id);
    }
    for (const entry of state) {
      if (entry.run?.status === 'running') entry.run = (await getRun(pool, entry.run.id)) ?? entry.run;
    }
    options.progress.update(state);
    if (!state.every((_, i) => finished(i))) await sleepUnlessAborted(pollMs, options.signal);
  }
  options.progress.finish();
  const runs: RunProgress[] = [];
  for (const { run } of state) {
    if (run) runs.push((await getRun(pool, run.id)) ?? run);
  }
  return runs;
}
