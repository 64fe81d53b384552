import { type AnyProvider, AppError, type Column } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { inputDependants } from '../deps/input-dependants';
import { columnFields } from '../tables/list-columns';
import { withTableLock } from '../tables/with-table-lock';

export interface RowUpdate {
  id: number;
  /** New input values by column name; columns not named keep their value. */
  values: Readonly<Record<string, unknown>>;
}

/**
 * Changes input values of rows in one statement (`unnest` of id and jsonb patch), each row taking
 * a new seq so watchers see it. With `providers`, the cells computed from an input whose value
 * changed (directly or through other columns) and holding a result become `stale`, in the same
 * statement; run scope `stale` re-runs exactly them. Returns how many rows of this table were updated.
 */
export async function updateRows(
  pool: Pool,
  tableId: number,
  updates: readonly RowUpdate[],
  options: { providers?: ReadonlyMap<string, AnyProvider> } = {},
): Promise<number> {
  if (updates.length === 0) return 0;
  return withTableLock(pool, tableId, async (client) => {
    const { rows: columns } = await client.query<Column>(
      `select ${columnFields} from columns where table_id = $1`,
      [tableId],
    );
    const ids = new Map(columns.filter((c) => c.kind === 'input').map((c) => [c.name, String(c.id)]));
    const pairs = options.providers ? inputDependants(options.providers, columns) : [];
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
    // `o` is the row as it was (a FROM item sees the snapshot before the update): the keys of the
    // patch whose value changed make the cells that depend on them stale.
    const { rows } = await client.query(
      `with lock as (select glaze_lock_table($1) as locked),
       updated as (
         update rows r set data = r.data || u.patch, seq = nextval('glaze_seq')
         from unnest($2::bigint[], $3::jsonb[]) as u(id, patch), rows o, lock
         where r.id = u.id and r.table_id = $1 and o.id = r.id and lock.locked
         returning r.id, r.seq, o.data as old, u.patch
       ),
       changed as (
         select distinct u.id as row_id, d.column_id
         from updated u
         cross join lateral jsonb_each(u.patch) as k (key, value)
         join unnest($4::bigint[], $5::bigint[]) as d (input_id, column_id) on d.input_id = k.key::bigint
         where u.old -> k.key is distinct from k.value
       ),
       staled as (
         update cells c set status = 'stale', seq = nextval('glaze_seq')
         from changed ch
         where c.column_id = ch.column_id and c.row_id = ch.row_id and c.status in ('done', 'error', 'skipped')
         returning c.seq, c.column_id
       ),
       -- an auto-run column's stale cells are owed a re-run until it starts (migration 043)
       stale_owed as (
         select glaze_owe_stale_auto_run($1, array(select distinct column_id from staled))
         where exists (select 1 from staled)
       ),
       notified as (
         select glaze_notify_table($1, greatest((select max(seq) from updated), (select max(seq) from staled))::text)
         where exists (select 1 from updated)
       )
       select (select count(*) from updated)::int as updated, (select count(*) from notified)::int as notified,
              (select count(*) from stale_owed)::int as owed`,
      [tableId, updates.map((u) => u.id), patches, pairs.map((p) => p.inputId), pairs.map((p) => p.columnId)],
    );
    return rows[0].updated as number;
  });
}
