import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type Idempotency, lostKeyRace } from '../runs/keyed-runs';
import { insertRows } from './insert-rows';

/** The ids of appended rows; `replayed` when an earlier request with the same key appended them. */
export interface InsertedRows {
  ids: number[];
  replayed: boolean;
}

/**
 * Appends rows (insertRows) at most once per `Idempotency-Key` in the workspace: a retry of an append
 * whose answer was lost (a 503 although it committed, a dropped connection) answers with the ids the
 * first one gave its rows instead of appending a second copy. Throws 422 `idempotency_key_reused`
 * when the key came with another request. A key is remembered for 24 hours (migration 045). Without
 * a key, one statement as before; with one, a look-up on the key first.
 * @example const { ids, replayed } = await insertKeyedRows(pool, { tableId, workspaceId, rows, idempotency })
 */
export async function insertKeyedRows(
  pool: Pool,
  options: {
    tableId: number;
    workspaceId: number | undefined;
    rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
    idempotency: Idempotency | undefined;
  },
): Promise<InsertedRows> {
  const { tableId, workspaceId, rows, idempotency } = options;
  if (!idempotency) return { ids: await insertRows(pool, tableId, rows), replayed: false };
  const earlier = await findKeyedInsert(pool, workspaceId, idempotency);
  if (earlier) return { ids: earlier, replayed: true };
  try {
    return { ids: await insertRows(pool, tableId, rows, idempotency), replayed: false };
  } catch (error) {
    if (!lostKeyRace(error, 'row_insert_keys_pkey')) throw error;
    // another append with this key committed first (its rows, not these, are in the table)
    const won = await findKeyedInsert(pool, workspaceId, idempotency);
    if (won) return { ids: won, replayed: true };
    throw error;
  }
}

/**
 * The ids an earlier append with the key gave its rows, if one did in the last 24 hours; 422 when it
 * came with another request. Appends commit synchronously: one that is seen is durable. Keys older
 * than that are dropped here, before the append that may reuse one.
 */
async function findKeyedInsert(
  pool: Pool,
  workspaceId: number | undefined,
  idempotency: Idempotency,
): Promise<number[] | undefined> {
  const { rows } = await pool.query<{ ids: string[]; request: string; table_id: string }>(
    `with pruned as (delete from row_insert_keys where created_at < now() - interval '24 hours')
     select k.ids, k.request_hash as request, k.table_id
       from row_insert_keys k join tables t on t.id = k.table_id
      where k.idempotency_key = $1 and ($2::bigint is null or t.workspace_id = $2)
        and k.created_at >= now() - interval '24 hours'`,
    [idempotency.key, workspaceId ?? null],
  );
  const other = rows.find((row) => row.request !== idempotency.request);
  if (other) {
    throw new AppError(
      'idempotency_key_reused',
      `was sent before with another request (it appended ${other.ids.length} row${other.ids.length === 1 ? '' : 's'} to table ${other.table_id}); send a new key for a new request`,
      'Idempotency-Key',
    );
  }
  return rows[0]?.ids.map(Number);
}
