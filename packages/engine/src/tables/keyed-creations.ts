import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import type { Idempotency } from '../runs/keyed-runs';

/** What a request sent with an `Idempotency-Key` created: a table (no `columnId`) or a column of one. */
export interface KeyedCreation {
  tableId: number;
  columnId?: number;
}

/**
 * What an earlier request with the key created in the workspace in the last 24 hours, if one did
 * (migration 047); keys older than that are dropped first. Throws 422 `idempotency_key_reused` when
 * that request was another. Creations commit synchronously: one that is seen is durable.
 * @example const earlier = await findKeyedCreation(pool, workspaceId, { key, request })
 */
export async function findKeyedCreation(
  pool: Pool,
  workspaceId: number,
  idempotency: Idempotency,
): Promise<KeyedCreation | undefined> {
  const { rows } = await pool.query<{ table_id: string; column_id: string | null; request: string }>(
    `with pruned as (delete from create_keys where created_at < now() - interval '24 hours')
     select table_id, column_id, request_hash as request from create_keys
      where idempotency_key = $1 and workspace_id = $2 and created_at >= now() - interval '24 hours'`,
    [idempotency.key, workspaceId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const created: KeyedCreation = {
    tableId: Number(row.table_id),
    ...(row.column_id === null ? {} : { columnId: Number(row.column_id) }),
  };
  if (row.request !== idempotency.request) {
    const what =
      created.columnId === undefined
        ? `table ${created.tableId}`
        : `column ${created.columnId} of table ${created.tableId}`;
    throw new AppError(
      'idempotency_key_reused',
      `was sent before with another request (it created ${what}); send a new key for a new request`,
      'Idempotency-Key',
    );
  }
  return created;
}

/**
 * The statement that keeps a creation's key, for the transaction or statement that creates it: $1
 * key, $2 request hash, $3 table id, $4 column id (null: the table itself). The workspace is the
 * table's. Two requests racing with one key meet the primary key: the second's creation rolls back.
 */
export const keepCreationKeySql = `insert into create_keys (idempotency_key, workspace_id, table_id, column_id, request_hash)
  select $1, t.workspace_id, t.id, $4, $2 from tables t where t.id = $3`;

/**
 * Creates something at most once per `Idempotency-Key` in the workspace: without a key, `create()`;
 * with one, the earlier request's creation if there is one (`replayed`), else `create(idempotency)`,
 * which keeps the key with what it creates. A creation that fails with a unique violation while
 * keyed — it lost the race for the key, or for a column's name to a racing request with that key —
 * answers with the winner's creation when the key has one.
 */
export async function createOnce<T>(
  pool: Pool,
  workspaceId: number,
  idempotency: Idempotency | undefined,
  create: (idempotency?: Idempotency) => Promise<T>,
): Promise<{ created: T; replayed: false } | { earlier: KeyedCreation; replayed: true }> {
  if (!idempotency) return { created: await create(), replayed: false };
  const earlier = await findKeyedCreation(pool, workspaceId, idempotency);
  if (earlier) return { earlier, replayed: true };
  try {
    return { created: await create(idempotency), replayed: false };
  } catch (error) {
    if ((error as { code?: string }).code !== '23505' && !isConflict(error)) throw error;
    const won = await findKeyedCreation(pool, workspaceId, idempotency);
    if (won) return { earlier: won, replayed: true };
    throw error;
  }
}

const isConflict = (error: unknown): boolean => error instanceof AppError && error.code === 'conflict';
