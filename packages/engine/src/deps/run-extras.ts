import type { AnyProvider } from '@glaze/core';
import { type ColumnDependencies, columnDependencies, type StoredColumn } from './column-reads';

/** What the worker needs for dependencies, rate limits and budgets of one run. */
export interface RunExtras extends ColumnDependencies {
  workspaceId: number;
  budget: number | null;
}

/** The extras from the run context's row (`workspaceId`, `columnId`, `budget`, `enrichments`). */
export function runExtras(
  row: Record<string, unknown>,
  providers: ReadonlyMap<string, AnyProvider>,
): RunExtras {
  return {
    workspaceId: Number(row.workspaceId),
    budget: row.budget as number | null,
    ...columnDependencies(providers, Number(row.columnId), row.enrichments as StoredColumn[]),
  };
}
