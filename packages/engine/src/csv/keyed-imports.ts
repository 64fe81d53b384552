import { AppError } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';
import { lostKeyRace } from '../runs/keyed-runs';

/**
 * What an import sent with an `Idempotency-Key` answered: the table it filled and its counts. A
 * retry with the key is answered with it (migration 046).
 */
export interface ImportAnswer {
  tableId: number;
  rows: number;
  updated?: number;
  unchanged?: number;
  stale?: number;
}

/** An import's `Idempotency-Key` and the hash of its request, known once its body has been read. */
export interface ImportIdempotency {
  key: string;
  request: () => string;
}

/**
 * The answer of an import sent with `key` in the workspace in the last 24 hours, and the hash of its
 * request; keys older than that are dropped first. Imports commit synchronously: one seen is durable.
 * @example const earlier = await findKeyedImport(pool, workspaceId, key)
 */
export async function findKeyedImport(
  pool: Pool,
  workspaceId: number,
  key: string,
): Promise<{ request: string; answer: ImportAnswer } | undefined> {
  const { rows } = await pool.query<{ request: string; answer: ImportAnswer }>(
    `with pruned as (delete from import_keys where created_at < now() - interval '24 hours')
     select request_hash as request, answer from import_keys
      where idempotency_key = $1 and workspace_id = $2 and created_at >= now() - interval '24 hours'`,
    [key, workspaceId],
  );
  return rows[0];
}

/** 422 unless the earlier import with the key was sent with the same request (route, query, CSV). */
export function assertSameImport(earlier: { request: string; answer: ImportAnswer }, request: string): void {
  if (earlier.request === request) return;
  throw new AppError(
    'idempotency_key_reused',
    `was sent before with another import (it imported ${earlier.answer.rows} row${earlier.answer.rows === 1 ? '' : 's'} into table ${earlier.answer.tableId}); send a new key for a new request`,
    'Idempotency-Key',
  );
}

/** Keeps the key with the import's answer, in the import's transaction (its last statement). */
export async function keepImportKey(
  client: PoolClient,
  idempotency: ImportIdempotency,
  answer: ImportAnswer,
): Promise<void> {
  await client.query(
    `insert into import_keys (idempotency_key, workspace_id, table_id, request_hash, answer)
     select $1, t.workspace_id, t.id, $2, $3 from tables t where t.id = $4`,
    [idempotency.key, idempotency.request(), JSON.stringify(answer), answer.tableId],
  );
}

/** Postgres's answer when an import lost the race for its key to another import (046's key). */
export const lostImportKeyRace = (error: unknown): boolean => lostKeyRace(error, 'import_keys_pkey');
