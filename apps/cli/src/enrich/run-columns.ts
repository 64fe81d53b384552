import { type RunScope, sleepUnlessAborted } from '@glaze/core';
import type { DatabaseHealth, Pool } from '@glaze/db';
import { cancelRun, getRun, type RunProgress, startRun } from '@glaze/engine';
import type { ColumnProgress, ProgressView } from './progress';

export interface PlannedColumn {
  id: number;
  name: string;
  /** Indexes of earlier columns whose values this one reads: it starts when they have finished. */
  after: number[];
  /**
   * The runs to make, one after the other (default one run over all rows). A column of a table
   * enriched before runs `stale` then `empty`: the cells whose inputs changed, then the new rows.
   */
  scopes?: RunScope[];
}

export interface RunColumnsOptions {
  rows: number;
  progress: ProgressView;
  /** Runs with an id up to this one are not this command's (a table enriched before has some). */
  runsBefore?: number;
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
  const pollMs = options.pollMs ?? 250;
  const retry = <T>(work: () => Promise<T>) => (options.health ? options.health.retry(work) : work());
  // A start that met an outage may have committed: look for the column's run, newer than the last one
  // this command knows of, before starting another.
  const since = columns.map(() => options.runsBefore ?? 0);
  const queued = columns.map((c) => [...(c.scopes ?? ['all'])]);
  const start = (index: number, columnId: number, scope: RunScope) =>
    retry(async () => {
      const { rows } = await pool.query('select max(id) as id from runs where column_id = $1 and id > $2', [
        columnId,
        since[index],
      ]);
      return Number(rows[0]?.id ?? (await startRun(pool, { columnId, scope })).id);
    });
  const finished = (i: number) =>
    state[i]?.run !== undefined && state[i].run.status !== 'running' && queued[i]?.length === 0;
  while (!state.every((_, i) => finished(i))) {
    if (options.signal.aborted) {
      for (const { run } of state) if (run?.status === 'running') await retry(() => cancelRun(pool, run.id));
      break;
    }
    for (const [i, column] of columns.entries()) {
      const entry = state[i] as ColumnProgress;
      const next = queued[i] as RunScope[];
      if (entry.run?.status === 'running' || next.length === 0 || !column.after.every(finished)) continue;
      const runId = await start(i, column.id, next.shift() as RunScope);
      since[i] = runId;
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
