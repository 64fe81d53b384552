import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { withTableLock } from '../tables/with-table-lock';

export interface RowUpdate {
  id: number;
  /** New input values by column name; columns not named keep their value. */
  values: Readonly<Record<string, unknown>>;
}

/**
 * Changes input values of rows in one statement (`unnest` of id and jsonb patch), each row taking
 * a new seq so watchers see it. Returns how many rows of this table were updated.
 */
export async function updateRows(
  pool: Pool,
  tableId: number,
  updates: readonly RowUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  return withTableLock(pool, tableId, async (client) => {
    const { rows: columns } = await client.query(
      `select id, name from columns where table_id = $1 and kind = 'input'`,
      [tableId],
    );
    const ids = new Map(columns.map((c) => [c.name as string, String(c.id)]));
    const patches = updates.map((update, index) => {
      const patch: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(update.values)) {
        const id = ids.get(name);
        if (id === undefined) {
          const known = [...ids.keys()].join(', ');
          throw new AppError(
            'validation_failed',
            `unknown input column; input columns: ${known}`,
            `rows[${index}].values.${name}`,
          );
        }
        patch[id] = value ?? null;
      }
      return JSON.stringify(patch);
    });
    const { rows } = await client.query(
      `with lock as (select glaze_lock_table($1) as locked),
       updated as (
         update rows r set data = r.data || u.patch, seq = nextval('glaze_seq')
         from unnest($2::bigint[], $3::jsonb[]) as u(id, patch), lock
         where r.id = u.id and r.table_id = $1 and lock.locked
         returning r.seq
       ),
       notified as (select glaze_notify_table($1, max(seq)::text) from updated having count(*) > 0)
       select (select count(*) from updated)::int as updated, (select count(*) from notified)::int as notified`,
      [tableId, updates.map((u) => u.id), patches],
    );
    return rows[0].updated as number;
  });
}
