import type { AnyProvider } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { startRun } from '../runs/start-run';
import { autoRunPaid, autoRunRoots } from './auto-run';
import { runStaleAutoColumns } from './run-stale-auto-columns';

/**
 * Starts the auto-run columns over rows appended a while ago whose runs never started (the server
 * was killed between the rows' commit and the starts, migration 042): for each table owed since
 * before `afterSeconds`, each root auto-run column runs over the owed rows that have no cell in it
 * yet, then the debt is cleared. At most 100 tables a call; returns how many were settled.
 * @example await runOwedAutoColumns(pool, providers, 15)
 */
export async function runOwedAutoColumns(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  afterSeconds: number,
): Promise<number> {
  const { rows: owed } = await pool.query(
    `select table_id as "tableId", lower(row_ids) as "from", upper(row_ids) - 1 as "to"
     from auto_run_owed where since < now() - make_interval(secs => $1) order by since limit 100`,
    [afterSeconds],
  );
  for (const debt of owed as Array<{ tableId: string; from: string; to: string }>) {
    const [tableId, from, to] = [Number(debt.tableId), Number(debt.from), Number(debt.to)];
    for (const column of await autoRunRoots(pool, tableId, providers)) {
      const { rows } = await pool.query(
        `select coalesce(array_agg(r.id order by r.id), '{}') as ids
         from rows r
         where r.id between $2 and $3 and r.table_id = $1
           and not exists (select 1 from cells c where c.column_id = $4 and c.row_id = r.id)`,
        [tableId, from, to, column.id],
      );
      const ids = (rows[0].ids as string[]).map(Number);
      // a run scope holds at most 100,000 row ids
      for (let at = 0; at < ids.length; at += 100_000)
        await startRun(pool, {
          columnId: column.id,
          scope: { rowIds: ids.slice(at, at + 100_000) },
          auto: true,
        });
    }
    await autoRunPaid(pool, tableId, from, to);
  }
  return owed.length;
}

/**
 * Re-runs the stale cells of auto-run columns on tables an edit left owing that re-run a lease ago
 * (its server was killed before its debounced re-run started, migration 043). At most 100 tables a
 * call; returns how many were re-run.
 */
export async function rerunOwedStaleCells(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  afterSeconds: number,
): Promise<number> {
  const { rows } = await pool.query(
    `select table_id as "tableId" from stale_auto_run_owed
     where since < now() - make_interval(secs => $1) order by since limit 100`,
    [afterSeconds],
  );
  for (const { tableId } of rows as Array<{ tableId: string }>)
    await runStaleAutoColumns(pool, providers, { tableId: Number(tableId) });
  return rows.length;
}
