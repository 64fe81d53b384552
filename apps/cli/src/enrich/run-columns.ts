import { sleepUnlessAborted } from '@glaze/core';
import type { DatabaseHealth, Pool } from '@glaze/db';
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
  /** Waits out an unreachable database instead of failing (progress pauses meanwhile). */
  health?: DatabaseHealth;
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
  const retry = <T>(work: () => Promise<T>) => (options.health ? options.health.retry(work) : work());
  // A start that met an outage may have committed: look for the column's run before starting another
  // (the table is this command's own, so any run of the column is ours).
  const start = (columnId: number) =>
    retry(async () => {
      const { rows } = await pool.query('select max(id) as id from runs where column_id = $1', [columnId]);
      return rows[0]?.id ?? (await startRun(pool, { columnId, scope: 'all' })).id;
    });
  while (!state.every((_, i) => finished(i))) {
    if (options.signal.aborted) {
      for (const { run } of state) if (run?.status === 'running') await retry(() => cancelRun(pool, run.id));
      break;
    }
    for (const [i, column] of columns.entries()) {
      const entry = state[i] as ColumnProgress;
      if (entry.run || !column.after.every(finished)) continue;
      const runId = await start(column.id);
      entry.run = await retry(() => getRun(pool, runId));
    }
    for (const entry of state) {
      const id = entry.run?.status === 'running' ? entry.run.id : undefined;
      if (id !== undefined) entry.run = (await retry(() => getRun(pool, id))) ?? entry.run;
    }
    options.progress.update(state);
    if (!state.every((_, i) => finished(i))) await sleepUnlessAborted(pollMs, options.signal);
  }
  options.progress.finish();
  const runs: RunProgress[] = [];
  for (const { run } of state) {
    if (run) runs.push((await retry(() => getRun(pool, run.id))) ?? run);
  }
  return runs;
}
