import { AppError, quoteInput } from '@glaze/core';
import { type Pool, type PoolClient, withTransaction } from '@glaze/db';
import type { Idempotency } from '../runs/keyed-runs';
import { keepCreationKeySql } from './keyed-creations';

export interface TableInfo {
  id: number;
  workspaceId: number;
  name: string;
  createdAt: string;
}

/**
 * Creates a table with its input columns (in order). With `idempotency` the request's key is kept
 * with the table in the same transaction (keyed-creations.ts: a retry finds it).
 */
export function createTable(
  pool: Pool,
  input: { workspaceId: number; name: string; inputColumns?: readonly string[] },
  idempotency?: Idempotency,
): Promise<TableInfo> {
  // checked before a connection is taken
  checkNewTable(input);
  return withTransaction(pool, async (client) => {
    const table = await insertTable(client, input);
    if (idempotency)
      await client.query(keepCreationKeySql, [idempotency.key, idempotency.request, table.id, null]);
    return table;
  });
}

/**
 * Creates a table inside the caller's transaction: a CSV import's new table commits with its rows
 * (import-csv.ts), so a process killed mid-upload leaves no empty table behind.
 */
export async function insertTable(
  client: PoolClient,
  input: { workspaceId: number; name: string; inputColumns?: readonly string[] },
): Promise<TableInfo> {
  const { name, columns } = checkNewTable(input);
  const { rows } = await client.query(
    `insert into tables (workspace_id, name) values ($1, $2)
     returning id, workspace_id as "workspaceId", name, created_at as "createdAt"`,
    [input.workspaceId, name],
  );
  const table = rows[0] as TableInfo;
  if (columns.length > 0) {
    await client.query(
      `insert into columns (table_id, name, kind, position)
       select $1, name, 'input', ord from unnest($2::text[]) with ordinality as u(name, ord)`,
      [table.id, columns],
    );
  }
  return table;
}

function checkNewTable(input: { name: string; inputColumns?: readonly string[] }) {
  const name = input.name.trim();
  if (name === '') throw new AppError('validation_failed', 'must not be empty', 'name');
  const columns = input.inputColumns ?? [];
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined)
    throw new AppError('validation_failed', `column ${quoteInput(duplicate)} appears twice`, 'columns');
  return { name, columns };
}
