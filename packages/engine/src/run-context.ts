import { type AnyProvider, AppError, parseOrThrow, type RowValues, templateColumns } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { statements } from './sql';

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
  /** Turns stored row data (by column id) into values by column name. */
  rowValues(data: Record<string, unknown>, cellValues?: Record<string, unknown> | null): RowValues;
}

export async function loadRunContext(
  pool: Pool,
  runId: number,
  providers: ReadonlyMap<string, AnyProvider>,
): Promise<RunContext | undefined> {
  const { rows } = await pool.query({ ...statements.runContext, values: [runId] });
  const run = rows[0];
  if (!run) return undefined;
  const provider = providers.get(run.provider);
  if (!provider) throw new AppError('validation_failed', `unknown provider "${run.provider}"`, 'provider');
  const config = parseOrThrow(provider.configSchema, run.config, 'config');
  const columns = (run.columns ?? []) as ColumnInfo[];
  const names = new Map(columns.map((c) => [String(c.id), c.name]));
  const referenced = templateColumns(provider.templates(config));
  const readsEnrichments = columns.some(
    (c) =>
      c.kind !== 'input' &&
      c.id !== run.columnId &&
      referenced.some((r) => r === c.name || r.startsWith(`${c.name}.`)),
  );
  return {
    runId,
    tableId: run.tableId,
    columnId: run.columnId,
    maxAttempts: run.maxAttempts,
    provider,
    config,
    inputColumns: referenced,
    readsEnrichments,
    rowValues(data, cellValues) {
      const values: Record<string, unknown> = {};
      for (const source of [data, cellValues ?? {}]) {
        for (const [id, value] of Object.entries(source)) {
          const name = names.get(id);
          if (name !== undefined) values[name] = value;
        }
      }
      return values;
    },
  };
}
