import type { Pool, PoolClient } from '@glaze/db';
import type { StoredColumn } from './column-reads';

/** A table's enrichment columns in table order, as the dependency functions read them. One statement. */
export async function readEnrichmentColumns(db: Pool | PoolClient, tableId: number): Promise<StoredColumn[]> {
  const { rows } = await db.query(
    `select id, name, provider, config from columns where table_id = $1 and kind = 'enrichment' order by position`,
    [tableId],
  );
  return rows as StoredColumn[];
}
