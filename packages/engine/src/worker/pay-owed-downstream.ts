import { type AnyProvider, AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { payDownstream } from '../deps/owed-downstream';
import { loadRunContext } from './run-context';
import { statements } from './statements';

/**
 * Starts the downstream runs that finished chunks still owe a lease after they were started: their
 * worker died before starting them, or starting them failed (deps/owed-downstream.ts). At most 100
 * chunks a pass. Returns how many chunks were settled.
 */
export async function payOwedDownstream(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  afterSeconds: number,
): Promise<number> {
  const { rows } = await pool.query({ ...statements.owedDownstream, values: [afterSeconds, 100] });
  let paid = 0;
  for (const { chunkId, runId } of rows as Array<{ chunkId: string; runId: string }>) {
    const id = Number(chunkId);
    try {
      const context = await loadRunContext(pool, Number(runId), providers);
      // a run deleted since owes nothing, nor does a column no auto-run column reads any more
      const downstream = context?.extras.autoRunDownstream ?? [];
      await payDownstream(pool, { chunkId: id, columnId: context?.columnId ?? 0, downstream });
    } catch (error) {
      // a column whose config no longer reads (an unknown provider): its downstream cannot be told
      if (!(error instanceof AppError)) throw error;
      await payDownstream(pool, { chunkId: id, columnId: 0, downstream: [] });
    }
    paid++;
  }
  return paid;
}
