import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import type { Idempotency } from './keyed-runs';
import { type StartedRun, startRun } from './start-run';

/**
 * Runs one cell (a row of an enrichment column of this table) as a run of one. With an
 * `idempotency` key the caller has looked for the key's earlier run first (findKeyedRuns).
 */
export async function startCellRun(
  pool: Pool,
  input: {
    tableId: number;
    rowId: number;
    columnId: number;
    workspaceId: number;
    maxAttempts?: number;
    idempotency?: Idempotency;
  },
): Promise<StartedRun> {
  const { rows } = await pool.query(
    `select exists (select 1 from rows where id = $1 and table_id = $3) as "row",
            (select kind from columns where id = $2 and table_id = $3) as kind`,
    [input.rowId, input.columnId, input.tableId],
  );
  const found = rows[0] as { row: boolean; kind: string | null };
  if (!found.row) throw new AppError('not_found', `row ${input.rowId} does not exist in this table`, 'rowId');
  if (!found.kind)
    throw new AppError('not_found', `column ${input.columnId} does not exist in this table`, 'columnId');
  if (found.kind !== 'enrichment') {
    throw new AppError(
      'validation_failed',
      `column ${input.columnId} is an ${found.kind} column; only enrichment cells run`,
      'columnId',
    );
  }
  return startRun(pool, {
    columnId: input.columnId,
    scope: { rowIds: [input.rowId] },
    workspaceId: input.workspaceId,
    maxAttempts: input.maxAttempts,
    idempotency: input.idempotency,
  });
}
