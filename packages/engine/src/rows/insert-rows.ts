import { AppError } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';
import type { Idempotency } from '../runs/keyed-runs';

/**
 * Appends rows given as values by column name, in one statement per call (`unnest` of jsonb).
 * Unknown column names are refused, naming the column and the table's columns. With `idempotency`
 * the key is kept with the rows' ids in the same statement (see insertKeyedRows).
 */
export async function insertRows(
  db: Pool | PoolClient,
  tableId: number,
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  idempotency?: Idempotency,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const { rows: columns } = await db.query(
    `select id, name from columns where table_id = $1 and kind = 'input'`,
    [tableId],
  );
  const ids = new Map(columns.map((c) => [c.name as string, String(c.id)]));
  const data = rows.map((row, index) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      const id = ids.get(name);
      if (id === undefined) {
        const known = [...ids.keys()].join(', ');
        throw new AppError(
          'validation_failed',
          `unknown input column "${name}"; input columns: ${known}`,
          `rows[${index}]`,
        );
      }
      out[id] = value;
    }
    return JSON.stringify(out);
  });
  return insertRowData(db, tableId, data, idempotency);
}

/**
 * Appends rows whose data is already keyed by column id (JSON text), keeping their order; on a table
 * with auto-run columns the rows are recorded as owed their runs (`autoRunPaid` clears it). With
 * `idempotency`, the key, the request's hash and the new ids are kept in the same statement
 * (migration 045): a second append with the key fails on its unique key, its rows with it.
 */
export async function insertRowData(
  db: Pool | PoolClient,
  tableId: number,
  data: readonly string[],
  idempotency?: Idempotency,
): Promise<number[]> {
  const { rows } = await db.query(
    // base, which every inserted row reads, reads the lock: the rows' seqs are taken under it.
    `with lock as (select glaze_lock_table($1) as locked),
     -- max(position) as a scalar subquery reads one entry of rows_table_position; as a join it read
     -- every row of the table, once per batch: a 1M-row import spent minutes on it
     base as (select coalesce((select max(position) from rows where table_id = $1), 0) as p from lock where lock.locked),
     inserted as (
       insert into rows (table_id, position, data)
       select $1, base.p + u.ord, u.data from base, unnest($2::jsonb[]) with ordinality as u(data, ord)
       order by u.ord
       returning id, seq
     ),
     notified as (select glaze_notify_table($1, max(seq)::text) from inserted having count(*) > 0),
     -- owed to the table's auto-run columns until their runs start (migration 042), in this statement
     owed as (select glaze_owe_auto_run($1, min(id), max(id)) from inserted),
     -- an append with an Idempotency-Key (the filter on $3 is evaluated once: without a key, nothing)
     keyed as (
       insert into row_insert_keys (idempotency_key, table_id, request_hash, ids)
       select $3, $1, $4, array_agg(id order by id) from inserted where $3::text is not null having count(*) > 0
     )
     select id from inserted, (select count(*) from notified) n, (select count(*) from owed) o order by id`,
    [tableId, data, idempotency?.key ?? null, idempotency?.request ?? null],
  );
  return rows.map((r) => r.id as number);
}
