import type { Pool } from '@glaze/db';
import { getRun, type RunProgress } from './get-run';

/**
 * A table's runs, newest first (at most `limit`), with the same counts as `getRun`.
 * One look-up per run: a table rarely has more than a handful running.
 */
export async function listRuns(
  pool: Pool,
  input: { tableId: number; workspaceId: number; status?: RunProgress['status']; limit?: number },
): Promise<RunProgress[]> {
  const { rows } = await pool.query(
    `select r.id from runs r join tables t on t.id = r.table_id
     where r.table_id = $1 and t.workspace_id = $2 and ($3::text is null or r.status = $3)
     order by r.id desc limit $4`,
    [input.tableId, input.workspaceId, input.status ?? null, input.limit ?? 50],
  );
  const runs = await Promise.all(rows.map((r) => getRun(pool, r.id as number, input.workspaceId)));
  return runs.filter((run): run is RunProgress => run !== undefined);
}
