import type { Pool } from '@glaze/db';
import { depsStatements } from './statements';

/** Carried in a parked chunk's job payload: how often and since when its cells have waited. */
export interface WaitState {
  waits?: number;
  /** Epoch ms of the first wait. */
  waitingSince?: number;
}

/** What waiting needs of a claimed cell (the worker's `ClaimedCell` is one). */
export interface WaitingCell {
  id: number;
  rowId: number;
}

export interface WaitOptions<C extends WaitingCell> {
  chunkId: number;
  attempt: number;
  /** Upstream enrichment columns of the run's column. */
  upstream: readonly number[];
  cells: readonly C[];
  state: WaitState;
  /** After this long waiting, a cell ends in error instead of waiting on. */
  maxWaitMs: number;
}

export interface WaitPlan<C extends WaitingCell> {
  /** Cells whose upstream cells are all settled: run them now. */
  ready: C[];
  /** Cells moved to a later chunk. */
  parked: number;
  /** Cells that waited longer than maxWaitMs: end them in error with this message. */
  expired: C[];
  expiredError?: string;
}

/**
 * Keeps a downstream cell from running while an upstream cell of its row is queued or running:
 * one statement finds such rows (only for columns that read other enrichment columns), and if there
 * are any, one more moves their cells to a new chunk of the same run whose job runs after a backoff
 * (0.25 s doubling to 10 s). They stay queued, so the run finishes only once they ran, with their
 * input present. Polling rather than a wake-up from the upstream worker: a worker that dies cannot
 * strand the waiting cells.
 */
export async function holdBackWaiting<C extends WaitingCell>(
  pool: Pool,
  options: WaitOptions<C>,
): Promise<WaitPlan<C>> {
  const { cells } = options;
  if (options.upstream.length === 0 || cells.length === 0)
    return { ready: [...cells], parked: 0, expired: [] };
  const { rows } = await pool.query({
    ...depsStatements.blockedRows,
    values: [options.upstream, cells.map((c) => c.rowId)],
  });
  if (rows.length === 0) return { ready: [...cells], parked: 0, expired: [] };
  const blocked = new Set(rows.map((r) => r.rowId as number));
  const ready = cells.filter((c) => !blocked.has(c.rowId));
  const waiting = cells.filter((c) => blocked.has(c.rowId));
  const waits = options.state.waits ?? 0;
  const since = options.state.waitingSince ?? Date.now();
  if (Date.now() - since >= options.maxWaitMs) {
    const seconds = Math.round((Date.now() - since) / 1000);
    const expiredError = `waited ${seconds} s for an upstream column of this row to finish; run it again once it has`;
    return { ready, parked: 0, expired: waiting, expiredError };
  }
  const delaySeconds = Math.min(0.25 * 2 ** waits, 10);
  const { rows: parked } = await pool.query({
    ...depsStatements.parkCells,
    values: [
      options.chunkId,
      options.attempt,
      waiting.map((c) => c.id),
      delaySeconds,
      JSON.stringify({ waits: waits + 1, waitingSince: since }),
    ],
  });
  return { ready, parked: parked[0]?.moved ?? 0, expired: [] };
}
