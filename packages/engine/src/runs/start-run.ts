import { AppError, parseOrThrow, type RunScope, type RunStatus, runScopeSchema } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { durableRead } from '../feed/durable-read';
import { assertRowsOfColumn } from './assert-rows-of-column';
import { findKeyedRuns, type Idempotency, lostKeyRace } from './keyed-runs';
import { runStatements } from './statements';

export interface StartRunOptions {
  columnId: number;
  scope: RunScope;
  /** Provider calls per cell before it ends in error (retryable failures and lost workers). */
  maxAttempts?: number;
  /** Stop the run before its total cost exceeds this. */
  budget?: number | null;
  /** Cells per worker job (default 500). Smaller chunks spread work across more workers; larger ones cost
   * fewer round trips. 250, 400, 500, 750 and 1,000 measured 13.3k, 15.7k, 16.7k, 14.6k and 15.3k
   * cells/s on 50,000 mock cells (2 cores, ±15% noise). */
  chunkSize?: number;
  /**
   * Rows the start statement covers itself (default 2,000: four chunks, half the jobs a worker runs at
   * once, leaving a slot for the `glaze_expand` job queued with them). A run over more rows queues the rest in `glaze_expand` jobs, `expandBatch` rows per
   * statement (default 10,000), each from the last row the previous one covered, while the first
   * chunks run. A batch holds the table's write lock while it writes (a feed read waits for it):
   * 20,000-row batches tripled the stream bench's longest progress gap, 5,000-row ones could not keep
   * a 1,000,000-cell run's workers fed (27 % fewer cells/s). A `rows`
   * scope (at most 100,000 named rows) is queued whole by the start.
   */
  startBatch?: number;
  expandBatch?: number;
  /** When set, the column must belong to a table of this workspace. */
  workspaceId?: number;
  /** When set, the column must belong to this table (saves the caller a look-up of its own). */
  tableId?: number;
  /**
   * Started by Glaze for rows it has just written (auto-run): the row ids are the table's, so they
   * are not checked, and a run over nothing is not created (`undefined` comes back).
   */
  auto?: boolean;
  /**
   * The request's `Idempotency-Key`, kept on the run. The caller looks for the key's earlier runs
   * first (findKeyedRuns); a start that loses a race for the key to another returns that one's run.
   */
  idempotency?: Idempotency;
}

export interface StartedRun {
  id: number;
  tableId: number;
  columnId: number;
  total: number;
  status: RunStatus;
  /** Chunks queued by the start statement (more follow while the run is expanding). */
  chunks: number;
  /** An earlier request with the same `Idempotency-Key` started it: nothing was started now. */
  replayed: boolean;
}

/**
 * Starts a run in one statement whatever its size: the run row, its first batch of cells set to
 * queued with one worker job per chunk and, when more cells follow, a `glaze_expand` job that queues
 * them in batches (expand-run.ts); a second statement then counts them, so `total` is known when
 * this returns. The start commits asynchronously and a durability barrier follows it before this
 * returns: the workers start at its commit, the caller hears of a run that survives a crash. A run
 * over nothing (e.g. `errors` with no errors) is born `done`, except an auto-run, which is not
 * created. Row ids that are not the column's table's are refused (404 naming them) before anything
 * starts.
 * @example await startRun(pool, { columnId: 7, scope: 'empty' })
 */
export async function startRun(
  pool: Pool,
  options: StartRunOptions & { auto: true },
): Promise<StartedRun | undefined>;
export async function startRun(pool: Pool, options: StartRunOptions): Promise<StartedRun>;
export async function startRun(pool: Pool, options: StartRunOptions): Promise<StartedRun | undefined> {
  const scope = parseOrThrow(runScopeSchema, options.scope, 'scope');
  const kind = typeof scope === 'string' ? scope : 'rows';
  const rowIds = typeof scope === 'string' ? [] : scope.rowIds;
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20) {
    throw new AppError('validation_failed', 'must be an integer from 1 to 20', 'maxAttempts');
  }
  if (kind === 'rows' && !options.auto) await assertRowsOfColumn(pool, options.columnId, rowIds);
  const startBatch = batchOption(options.startBatch ?? 2_000, 'startBatch');
  const expandBatch = batchOption(options.expandBatch ?? 10_000, 'expandBatch');
  const start = pool.query({
    ...runStatements.startRun,
    values: [
      options.columnId,
      kind,
      rowIds,
      JSON.stringify(scope),
      maxAttempts,
      options.budget ?? null,
      options.chunkSize ?? 500,
      options.workspaceId ?? null,
      options.tableId ?? null,
      options.auto === true,
      startBatch,
      expandBatch,
      options.idempotency?.key ?? null,
      options.idempotency?.request ?? null,
    ],
  });
  let rows: unknown[];
  try {
    ({ rows } = await start);
  } catch (error) {
    if (!options.idempotency || !lostKeyRace(error, 'runs_idempotency')) throw error;
    // another start with this key committed first: its run is the answer
    const won = await findKeyedRuns(pool, options.workspaceId, options.idempotency);
    const run = won.find((keyed) => keyed.columnId === options.columnId);
    if (run) return run;
    throw error;
  }
  const started = rows[0] as (StartedRun & { expanding: boolean }) | undefined;
  if (!started && options.auto) return undefined;
  if (!started)
    throw new AppError('not_found', `enrichment column ${options.columnId} does not exist`, 'columnId');
  const { expanding, ...run } = started;
  const counted = expanding ? await pool.query({ ...runStatements.countRun, values: [run.id] }) : undefined;
  // The start committed asynchronously (its workers were woken without waiting for the WAL flush):
  // the run is durable before anyone is told it started.
  await pool.query(`select ${durableRead}`);
  // no row: the expansion finished first, and the run's total is already exact
  return { ...run, total: counted?.rows[0]?.total ?? run.total, replayed: false };
}

function batchOption(cells: number, field: string): number {
  if (!Number.isInteger(cells) || cells < 1)
    throw new AppError('validation_failed', 'must be a positive integer', field);
  return cells;
}
