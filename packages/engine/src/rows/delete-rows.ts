import type { Pool } from '@glaze/db';
import { withTableLock } from '../tables/with-table-lock';
import { cellTrashFields } from '../trash/cell-trash-fields';
import { emptyOldTrash } from '../trash/empty-old-trash';

/**
 * Deletes rows of a table in one statement: rows and their cells move to the trash (migration 024),
 * where `restoreRows` finds them for 24 hours (`trashHours`). Runs that were waiting on those cells
 * shrink by as many cells, and finish if nothing else is left, so no run waits forever for a cell
 * that no longer exists. Watchers get one `rowsDeleted` change with the ids.
 */
export async function deleteRows(pool: Pool, tableId: number, rowIds: readonly number[]): Promise<number> {
  if (rowIds.length === 0) return 0;
  return withTableLock(pool, tableId, async (client) => {
    await emptyOldTrash(client, tableId);
    const { rows } = await client.query(
      `with lock as (select glaze_lock_table($1) as locked),
       live as (
         select c.run_id, count(*)::int as n from cells c
         where c.column_id in (select id from columns where table_id = $1) and c.row_id = any($2::bigint[])
           and c.status = 'queued'
           and c.run_id is not null
         group by c.run_id
       ),
       deleted as (
         delete from rows r where r.table_id = $1 and r.id = any($2::bigint[])
         returning r.id, r.table_id, r.position, r.data, r.created_at
       ),
       trashed as (
         insert into row_trash (id, table_id, position, data, created_at)
         select id, table_id, position, data, created_at from deleted
       ),
       -- Every CTE reads the snapshot from before the delete, so the cells are still here to copy;
       -- the rows' delete trigger removes them from cells at the end of the statement.
       trashed_cells as (
         insert into cell_trash (${cellTrashFields})
         select ${cellTrashFields} from cells c
         where c.column_id in (select id from columns where table_id = $1) and c.row_id in (select id from deleted)
       ),
       shrunk as (
         update runs r
         set total = r.total - live.n,
             status = case when not r.expanding and r.done_count + r.error_count + r.skipped_count + r.cancelled_count >= r.total - live.n
                           then 'done' else r.status end,
             finished_at = case when not r.expanding and r.done_count + r.error_count + r.skipped_count + r.cancelled_count >= r.total - live.n
                                then now() else r.finished_at end,
             seq = nextval('glaze_seq')
         from live, lock
         where r.id = live.run_id and r.status = 'running' and lock.locked
         returning r.seq
       ),
       change as (
         insert into table_changes (table_id, kind, ids)
         select $1, 'rowsDeleted', array_agg(id order by id) from deleted, lock where lock.locked having count(*) > 0
         returning seq
       ),
       notified as (
         select glaze_notify_table($1, greatest(change.seq, (select max(seq) from shrunk))::text) from change
       )
       select (select count(*) from deleted)::int as deleted, (select count(*) from notified)::int as notified`,
      [tableId, rowIds],
    );
    return rows[0].deleted as number;
  });
}
