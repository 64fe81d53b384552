import { type AnyProvider, AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { assertNoCycle } from '../deps/assert-no-cycle';
import { renameReads } from '../deps/rename-reads';
import { recordChange } from '../feed/record-change';
import { assertSecretsExist } from '../secrets/assert-secrets-exist';
import { validateColumnConfig } from './add-column';
import { getColumn } from './get-column';
import { type ColumnInfo, columnFields } from './list-columns';
import { withTableLock } from './with-table-lock';

export interface ColumnUpdate {
  tableId: number;
  columnId: number;
  name?: string;
  provider?: string;
  config?: unknown;
}

/**
 * Renames a column or changes an enrichment column's provider/config (validated like `addColumn`;
 * a new provider without a config starts from that provider's defaults). A rename rewrites the
 * columns that read the old name (`renameReads`) in the same transaction. Undefined when the table
 * has no such column. Watchers get a `schema` change.
 */
export async function updateColumn(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  update: ColumnUpdate,
): Promise<ColumnInfo | undefined> {
  const name = update.name?.trim();
  if (name === '') throw new AppError('validation_failed', 'must not be empty', 'name');
  return withTableLock(pool, update.tableId, async (client) => {
    const column = await getColumn(client, update.tableId, update.columnId);
    if (!column) return undefined;
    let { provider, config } = column;
    if (update.provider !== undefined || update.config !== undefined) {
      if (column.kind !== 'enrichment') {
        const field = update.provider !== undefined ? 'provider' : 'config';
        throw new AppError('validation_failed', `a ${column.kind} column has no ${field}`, field);
      }
      const changed = update.provider !== undefined && update.provider !== column.provider;
      provider = update.provider ?? column.provider;
      config = validateColumnConfig(
        providers,
        provider ?? undefined,
        update.config ?? (changed ? {} : column.config),
        update.config !== undefined,
      );
      await assertSecretsExist(
        client,
        update.tableId,
        providers.get(provider as string) as AnyProvider,
        config,
      );
    }
    // Before the rename, while the table's names are as the references were written; same
    // transaction, so a failed rename leaves every dependant as it was.
    if (name !== undefined && name !== column.name)
      await renameReads(client, providers, {
        tableId: update.tableId,
        columnId: update.columnId,
        from: column.name,
        to: name,
      });
    if (column.kind === 'enrichment')
      await assertNoCycle(client, providers, { ...column, name: name ?? column.name, provider, config });
    try {
      const { rows } = await client.query(
        `update columns set name = $3, provider = $4, config = $5, updated_at = now()
         where id = $1 and table_id = $2 returning ${columnFields}`,
        [update.columnId, update.tableId, name ?? column.name, provider, JSON.stringify(config)],
      );
      await recordChange(client, update.tableId, 'schema');
      return rows[0] as ColumnInfo;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AppError('conflict', `a column named "${name}" already exists in this table`, 'name');
      }
      throw error;
    }
  });
}
