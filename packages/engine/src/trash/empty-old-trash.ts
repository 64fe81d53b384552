import type { PoolClient } from '@glaze/db';

/** How long a deleted row or column can be restored. */
export const trashHours = 24;

/**
 * Drops what a table's trash has held for more than `trashHours`: run by every delete in the table,
 * so the trash of a table in use never holds more than a day of deletes, with no sweeper process.
 */
export async function emptyOldTrash(client: PoolClient, tableId: number): Promise<void> {
  await client.query(
    `with old_rows as (delete from row_trash where table_id = $1 and deleted_at < now() - make_interval(hours => $2)),
     old_columns as (delete from column_trash where table_id = $1 and deleted_at < now() - make_interval(hours => $2))
     delete from cell_trash where table_id = $1 and deleted_at < now() - make_interval(hours => $2)`,
    [tableId, trashHours],
  );
}
