import type { RowValues } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { cacheKey } from '../cache/cache-key';
import { type CachedAnswer, readCache, writeCache } from '../cache/provider-cache';
import type { ClaimedCell } from './claim-chunk';
import { type CellRunResult, checkBeforeCall } from './run-cell';
import type { RunContext } from './run-context';

export interface PreparedCell {
  cell: ClaimedCell;
  row: RowValues;
}

/** A cell that needs a provider call; `settle` shares its result with identical cells of the run. */
export interface PlannedCall extends PreparedCell {
  key?: string;
  settle(result: CellRunResult | undefined): void;
}

export interface CallPlan {
  /** Decided without a call: runIf, blank input, or a cached answer. */
  settled: Array<{ cell: ClaimedCell; result: CellRunResult }>;
  calls: PlannedCall[];
  /** Identical to a call in flight in this run: they take its result (undefined if it never ran). */
  followers: Array<{ cell: ClaimedCell; shared: Promise<CellRunResult | undefined> }>;
}

const ignore = () => {};

/**
 * Decides, for a chunk's cells, which need a provider call: runIf and blank input first (no key, no
 * cost), then, for cacheable providers, ONE look-up of all keys in provider_cache, then in-process
 * dedupe by key across the run's chunks in this process, so identical inputs call once.
 */
export async function planCalls(
  pool: Pool,
  context: RunContext,
  cells: readonly PreparedCell[],
  secrets: Readonly<Record<string, string>>,
): Promise<CallPlan> {
  const plan: CallPlan = { settled: [], calls: [], followers: [] };
  const open: PreparedCell[] = [];
  for (const prepared of cells) {
    // Fields passed one by one: spreading the run's context for every cell was a measurable share
    // of the worker's garbage at 100,000 cells.
    const early = checkBeforeCall({
      provider: context.provider,
      inputColumns: context.inputColumns,
      runIf: context.runIf,
      row: prepared.row,
    });
    if (early) plan.settled.push({ cell: prepared.cell, result: early });
    else open.push(prepared);
  }
  if (context.cacheTtlSeconds <= 0) {
    for (const prepared of open) plan.calls.push({ cell: prepared.cell, row: prepared.row, settle: ignore });
    return plan;
  }
  const workspaceId = context.extras.workspaceId;
  const keyed = open.map((p) => ({
    ...p,
    key: cacheKey(workspaceId, context.provider, context.config, p.row, secrets),
  }));
  const cached = await readCache(
    pool,
    context.provider.id,
    keyed.map((p) => p.key),
    context.cacheTtlSeconds,
  );
  for (const prepared of keyed) {
    const hit = cached.get(prepared.key);
    if (hit) {
      plan.settled.push({ cell: prepared.cell, result: fromCache(hit) });
      continue;
    }
    const shared = context.calls.get(prepared.key);
    if (shared) {
      plan.followers.push({ cell: prepared.cell, shared: shared.then((r) => r && copyOf(r)) });
      continue;
    }
    let settle: (result: CellRunResult | undefined) => void = () => {};
    context.calls.set(prepared.key, new Promise((resolve) => (settle = resolve)));
    plan.calls.push({ ...prepared, settle });
  }
  return plan;
}

/**
 * Stores the chunk's new answers (done results only; errors are retried next time) in one statement
 * and forgets their in-flight entries.
 */
export async function storeAnswers(
  pool: Pool,
  context: RunContext,
  answered: ReadonlyArray<{ key?: string; result: CellRunResult | undefined }>,
): Promise<void> {
  const entries = new Map<string, CachedAnswer>();
  for (const { key, result } of answered) {
    if (key === undefined) continue;
    if (result?.status === 'done')
      entries.set(key, { value: result.value, empty: result.meta?.empty === true });
  }
  try {
    await writeCache(pool, context.provider.id, entries, context.cacheTtlSeconds);
  } finally {
    for (const { key } of answered) if (key !== undefined) context.calls.delete(key);
  }
}

function fromCache(hit: CachedAnswer): CellRunResult {
  return {
    status: 'done',
    value: hit.empty ? null : hit.value,
    error: null,
    tries: 0,
    cost: null,
    meta: hit.empty ? { cached: true, empty: true } : { cached: true },
  };
}

function copyOf(result: CellRunResult): CellRunResult {
  if (result.status !== 'done') return { ...result, tries: 0, cost: null };
  return {
    ...result,
    tries: 0,
    cost: null,
    meta: result.meta?.empty ? { cached: true, empty: true } : { cached: true },
  };
}
