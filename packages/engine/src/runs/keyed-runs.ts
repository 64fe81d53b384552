import { AppError, type RunStatus } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { durableRead } from '../feed/durable-read';
import type { StartedRun } from './start-run';

/**
 * A request's `Idempotency-Key` and what it asked for: `request` is a hash of the route and its
 * body, so the same key sent with another request is refused rather than answered with runs it did
 * not ask for.
 */
export interface Idempotency {
  key: string;
  request: string;
}

/** A run an earlier request with the same key started. */
export interface KeyedRun extends StartedRun {
  request: string;
}

/**
 * The runs started with `key` in the workspace, in the order they were started (a start of every
 * column keeps the key on each column's run). Throws 422 `idempotency_key_reused` when they were
 * started by another request than `request`. One statement, on the key's index, and a durability
 * barrier when it finds any: a start commits asynchronously, and a retry must not be told of a run
 * a crash could still take back.
 * @example const earlier = await findKeyedRuns(pool, workspaceId, { key, request })
 */
export async function findKeyedRuns(
  pool: Pool,
  workspaceId: number | undefined,
  idempotency: Idempotency,
): Promise<KeyedRun[]> {
  const { rows } = await pool.query<{
    id: string;
    table_id: string;
    column_id: string;
    total: number;
    status: RunStatus;
    request: string;
  }>(
    `with found as (
       select r.id, r.table_id, r.column_id, r.total, r.status, r.request_hash as request
         from runs r join tables t on t.id = r.table_id
        where r.idempotency_key = $1 and ($2::bigint is null or t.workspace_id = $2)
     )
     select found.* from found where (select ${durableRead}) order by found.id`,
    [idempotency.key, workspaceId ?? null],
  );
  const runs = rows.map((row) => ({
    id: Number(row.id),
    tableId: Number(row.table_id),
    columnId: Number(row.column_id),
    total: row.total,
    status: row.status,
    chunks: 0,
    replayed: true,
    request: row.request,
  }));
  if (runs.some((run) => run.request !== idempotency.request)) {
    throw new AppError(
      'idempotency_key_reused',
      `was sent before with another request (it started run ${runs[0]!.id}); send a new key for a new request`,
      'Idempotency-Key',
    );
  }
  return runs;
}

/**
 * Postgres's answer when a request lost the race for its key to another with the same key: a unique
 * violation of `constraint`, the key's index (runs_idempotency, 044; row_insert_keys_pkey, 045;
 * import_keys_pkey, 046).
 */
export function lostKeyRace(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}
