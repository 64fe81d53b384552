import { type AnyProvider, AppError, parseOrThrow, type RowValues, templateColumns } from '@glaze/core';
import type { Pool } from '@glaze/db';
import type { CompiledExpression } from '@glaze/providers';
import { type RunExtras, runExtras } from '../deps/run-extras';
import { compileRunIf } from '../deps/run-if';
import { defaultCacheTtlSeconds, type RunOptions, readRunOptions } from '../deps/run-options';
import type { LimitRow } from '../limits/provider-gate';
import type { CellRunResult } from './run-cell';
import { statements } from './statements';

interface ColumnInfo {
  id: number;
  name: string;
  kind: string;
}

/** What the worker needs to run any cell of one run, read once per run per process. */
export interface RunContext {
  runId: number;
  tableId: number;
  columnId: number;
  maxAttempts: number;
  provider: AnyProvider;
  config: unknown;
  /** Columns the config's templates read, by name. */
  inputColumns: string[];
  /** Whether the column's templates read other enrichment columns (so claims fetch their values). */
  readsEnrichments: boolean;
  /**
   * Ids of the input columns its cells read, for the claim to fetch only those of each row's values;
   * null when the config may read any (a formula's `row[key]`). On a 1,000-column table the whole
   * row cost ~1 ms of the worker's CPU a cell (parsing its JSON, copying it by name, cloning it for
   * a formula): 5,000 formula cells took 5.8 s.
   */
  readColumns: string[] | null;
  /** Turns stored row data (by column id) into values by column name. */
  rowValues(data: Record<string, unknown>, cellValues?: Record<string, unknown> | null): RowValues;
  /** runIf, autoRun and cacheTtlSeconds from the column's config. */
  options: RunOptions;
  runIf?: CompiledExpression;
  /** Workspace, budget, upstream and auto-run downstream columns. */
  extras: RunExtras;
  /** Seconds a cached answer serves this column; 0 when the provider is not cacheable. */
  cacheTtlSeconds: number;
  /** Calls in flight in this process by cache key: identical inputs of one run call the provider once. */
  calls: Map<string, Promise<CellRunResult | undefined>>;
  /** The provider's rate limits (its own and its hosts'), and when the statement reading them was sent. */
  limits: { rows: Array<LimitRow & { key: string }>; readAt: number };
}

export async function loadRunContext(
  pool: Pool,
  runId: number,
  providers: ReadonlyMap<string, AnyProvider>,
): Promise<RunContext | undefined> {
  // One statement for the context and the extras: one connection and one round trip on the run's first chunk.
  const readAt = performance.now();
  const { rows } = await pool.query({ ...statements.runContext, values: [runId] });
  const run = rows[0];
  if (!run) return undefined;
  const extras = runExtras(run, providers);
  const provider = providers.get(run.provider);
  if (!provider) throw new AppError('validation_failed', `unknown provider "${run.provider}"`, 'provider');
  const config = parseOrThrow(provider.configSchema, run.config, 'config');
  const options = readRunOptions(run.config);
  const runIf = compileRunIf(options.runIf);
  const columns = (run.columns ?? []) as ColumnInfo[];
  const names = new Map(columns.map((c) => [String(c.id), c.name]));
  const referenced = templateColumns(provider.templates(config));
  // The runIf's columns too: a condition on another enrichment column needs its value.
  const read = [...referenced, ...(runIf?.columns ?? [])];
  // `{{Company.domain}}` reads the column `Company.domain`, or the field `domain` of `Company`
  const isRead = (c: ColumnInfo) => read.some((r) => r === c.name || r.startsWith(`${c.name}.`));
  const readsEnrichments = columns.some((c) => c.kind !== 'input' && c.id !== run.columnId && isRead(c));
  const wholeRow = readsWholeRow(provider, config) || runIf?.readsWholeRow === true;
  return {
    runId,
    tableId: run.tableId,
    columnId: run.columnId,
    maxAttempts: run.maxAttempts,
    provider,
    config,
    inputColumns: referenced,
    readsEnrichments,
    readColumns: wholeRow ? null : readInputs(columns, isRead),
    options,
    runIf,
    extras,
    cacheTtlSeconds: provider.cacheable ? (options.cacheTtlSeconds ?? defaultCacheTtlSeconds) : 0,
    calls: new Map(),
    limits: { rows: run.limits ?? [], readAt },
    rowValues(data, cellValues) {
      const values: Record<string, unknown> = {};
      copyByName(names, data, values);
      if (cellValues) copyByName(names, cellValues, values);
      return values;
    },
  };
}

/** Copies values keyed by column id into `into`, keyed by column name. Once per cell: no arrays. */
function copyByName(
  names: Map<string, string>,
  source: Record<string, unknown>,
  into: Record<string, unknown>,
) {
  for (const id in source) {
    const name = names.get(id);
    if (name !== undefined) into[name] = source[id];
  }
}

/**
 * Input columns left out of a claim pay for picking out the rest (~1.3 µs a row in Postgres, the same
 * on a narrow row) only when there are enough of them: with fewer, the claim sends whole rows.
 * Measured on 5,000 rows of 1,000 columns, two read: 505 ms to send whole rows, 201 ms to pick two;
 * on 100,000 rows of two, one read: 34 ms whole, 133 ms picked.
 */
const leftOutForPicking = 8;

/** The ids of the input columns a run's cells read, or null for whole rows (see leftOutForPicking). */
function readInputs(columns: ColumnInfo[], isRead: (c: ColumnInfo) => boolean): string[] | null {
  const inputs = columns.filter((c) => c.kind === 'input');
  const read = inputs.filter(isRead);
  return inputs.length - read.length < leftOutForPicking ? null : read.map((c) => String(c.id));
}

/** Whether a provider's config, or one nested in it (a waterfall's steps), may read any column. */
function readsWholeRow(provider: AnyProvider, config: unknown): boolean {
  if (provider.readsWholeRow?.(config) === true) return true;
  return (provider.nestedConfigs?.(config) ?? []).some((nested) =>
    readsWholeRow(nested.provider, nested.config),
  );
}
