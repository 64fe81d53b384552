import { type AnyProvider, AppError } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';
import { columnReads, type StoredColumn } from './column-reads';
import { describeCycle, findCycle } from './find-cycle';
import { readEnrichmentColumns } from './read-enrichment-columns';

/** The column being saved: `id` when it exists already (an update), none for a new one. */
export interface SavedColumn {
  tableId: number;
  id?: number;
  name: string;
  provider?: string | null;
  config: unknown;
}

/**
 * Refuses a column save that would make enrichment columns read each other in a circle, naming it:
 * `config: column "A" → "B" → "A" forms a cycle`. One statement (the table's enrichment columns).
 * Call it inside the save's transaction after validating the config.
 * @example await assertNoCycle(client, providers, { tableId, id: columnId, name, provider, config });
 */
export async function assertNoCycle(
  db: Pool | PoolClient,
  providers: ReadonlyMap<string, AnyProvider>,
  column: SavedColumn,
): Promise<void> {
  const rows = await readEnrichmentColumns(db, column.tableId);
  const saved: StoredColumn = {
    id: column.id ?? -1,
    name: column.name,
    provider: column.provider ?? null,
    config: column.config,
  };
  // The saved column first, so the cycle reported is the one it closes.
  const columns = [saved, ...rows.filter((c) => c.id !== saved.id)];
  const names = columns.map((c) => c.name);
  const cycle = findCycle(columns.map((c) => ({ name: c.name, reads: columnReads(providers, c, names) })));
  if (cycle) throw new AppError('validation_failed', describeCycle(cycle), 'config');
}
