import type { AnyProvider } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type ColumnDependencies, columnDependencies, type StoredColumn } from './column-reads';
import { depsStatements } from './statements';

/** What the worker needs for dependencies, rate limits and budgets of one run. */
export interface RunExtras extends ColumnDependencies {
  workspaceId: number;
  budget: number | null;
}

/** One statement per run per process (next to the run context). */
export async function loadRunExtras(
  pool: Pool,
  runId: number,
  providers: ReadonlyMap<string, AnyProvider>,
): Promise<RunExtras | undefined> {
  const { rows } = await pool.query({ ...depsStatements.runExtras, values: [runId] });
  const row = rows[0];
  if (!row) return undefined;
  const enrichments = row.enrichments as StoredColumn[];
  return {
    workspaceId: Number(row.workspaceId),
    budget: row.budget,
    ...columnDependencies(providers, Number(row.columnId), enrichments),
  };
}
