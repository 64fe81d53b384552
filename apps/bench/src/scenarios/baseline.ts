import { quietGraphileLogger } from '@glaze/db';
import { run } from 'graphile-worker';
import type { BenchDatabase } from '../bench-database';
import { seedMockTable, waitForRunDone } from '../seed';

export interface BaselineFigures {
  cells: number;
  seconds: number;
  cellsPerSecond: number;
}

/**
 * The common per-cell design, on the same Postgres and in the same process as Glaze's figures:
 * one graphile-worker job per cell; each job marks its cell running (one UPDATE), computes the same
 * mock value, then writes value, status and run counters in a transaction of four statements.
 * Jobs are enqueued in one statement so the baseline's start is as cheap as Glaze's.
 */
export async function benchBaseline(
  db: BenchDatabase,
  cells: number,
  concurrency = 10,
): Promise<BaselineFigures> {
  const near = db.near ?? db.pool;
  const { table, column } = await seedMockTable(near, cells);
  const { rows: runRows } = await near.query(
    `insert into runs (table_id, column_id, scope, total) values ($1, $2, '"all"', $3) returning id`,
    [table.id, column.id, cells],
  );
  const runId = runRows[0].id as number;
  const runner = await run({
    pgPool: db.pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: quietGraphileLogger,
    taskList: {
      baseline_cell: async (payload) => {
        const { rowId, input } = payload as { rowId: number; input: string };
        // Every statement finds the cell by its primary key (column_id, row_id).
        const key = [column.id, rowId];
        // "mark running": one UPDATE of the cell (Glaze's schema has no per-cell running state to set)
        await db.pool.query(`update cells set started_at = now() where column_id = $1 and row_id = $2`, key);
        const value = JSON.stringify({ input, length: input.length });
        const client = await db.pool.connect();
        try {
          await client.query('begin');
          await client.query('update cells set value = $3 where column_id = $1 and row_id = $2', [
            ...key,
            value,
          ]);
          await client.query(
            `update cells set status = 'done', finished_at = now(), seq = nextval('glaze_seq')
             where column_id = $1 and row_id = $2`,
            key,
          );
          await client.query(
            `update runs set done_count = done_count + 1,
               status = case when done_count + 1 >= total then 'done' else status end,
               finished_at = case when done_count + 1 >= total then now() end
             where id = $1`,
            [runId],
          );
          await client.query(`select pg_notify('glaze_table_' || $1::text, '')`, [table.id]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      },
    },
  });
  try {
    const started = performance.now();
    // Cells are created and jobs added in one statement: the baseline pays only for its per-cell work.
    await near.query(
      `with created as (
         insert into cells (table_id, row_id, column_id, status, run_id)
         select r.table_id, r.id, $2, 'queued', $3 from rows r where r.table_id = $1
         returning row_id
       )
       select graphile_worker.add_jobs(array_agg(row('baseline_cell',
         json_build_object('rowId', c.row_id, 'input', r.data->>(select id::text from columns where table_id = $1 and kind = 'input')),
         null, null, 1, null, null, null)::graphile_worker.job_spec)) from created c join rows r on r.id = c.row_id`,
      [table.id, column.id, runId],
    );
    await waitForRunDone(near, runId, table.id);
    const seconds = (performance.now() - started) / 1000;
    return { cells, seconds, cellsPerSecond: cells / seconds };
  } finally {
    await runner.stop();
  }
}
