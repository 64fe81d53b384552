/**
 * Where an engine run's time goes: the `engine` scenario's run (a warm worker, `cells` mock cells at
 * 0 ms, embedded Postgres) with the CPU the bench process (the worker) and Postgres used, then, from
 * the database, each quarter second's cells queued, chunks claimed and cells written, the expansion's
 * batches (their transactions' start) and the first chunks' claim and write. With `SLOWLOG=<ms>`,
 * Postgres logs every statement slower than that and the lines are printed after the figures.
 *
 *   npx tsx apps/bench/scripts/engine-timeline.ts [cells=100000]
 */
import { readFile } from 'node:fs/promises';
import { silentLogger } from '@glaze/db';
import { createWorker, startRun } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { startBenchCluster } from '../src/bench-database';
import { seedMockTable, waitForRunDone } from '../src/seed';
import { postgresCpu } from './postgres-cpu';

const cells = Number(process.argv[2] ?? 100_000);
const slowLog = process.env.SLOWLOG;
const cluster = await startBenchCluster(
  undefined,
  slowLog ? { log_min_duration_statement: slowLog, log_line_prefix: '%m [%p] ' } : undefined,
);
try {
  const db = await cluster.database('timeline');
  const near = db.near ?? db.pool;
  const dataDir = cluster.dataDir as string;
  const warm = await seedMockTable(near, 1_000);
  const { table, column } = await seedMockTable(near, cells);
  await near.query('vacuum analyze');
  const worker = await createWorker({ pool: db.pool, providers: builtinProviders, logger: silentLogger });
  try {
    const warmRun = await startRun(near, { columnId: warm.column.id, scope: 'all' });
    await waitForRunDone(near, warmRun.id, warm.table.id);
    const pgBefore = await postgresCpu(dataDir);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    const run = await startRun(near, { columnId: column.id, scope: 'all' });
    await waitForRunDone(near, run.id, table.id);
    const wall = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    const pg = (await postgresCpu(dataDir)) - pgBefore;
    console.log(
      `${cells} cells in ${wall.toFixed(2)} s (${Math.round(cells / wall)} cells/s); CPU: worker ${((node.user + node.system) / 1e6).toFixed(2)} s, Postgres ${pg.toFixed(2)} s`,
    );
    const since = (column: string) =>
      `round(extract(epoch from ${column} - (select created_at from runs where id = $1))::numeric * 1000)`;
    const { rows: batches } = await near.query(
      `select ${since('queued_at')} as ms, count(*)::int as n from cells where run_id = $1 group by 1 order by 1`,
      [run.id],
    );
    console.log(`batches (ms: cells): ${batches.map((b) => `${b.ms}: ${b.n}`).join(', ')}`);
    const { rows: chunks } = await near.query(
      `select k.ordinal, ${since('k.claimed_at')} as claimed,
              (select ${since('max(c.finished_at)')} from cells c where c.chunk_id = k.id) as written
         from chunks k where k.run_id = $1 order by k.claimed_at limit 24`,
      [run.id],
    );
    console.log(
      `first chunks (#ordinal claimed → written, ms): ${chunks.map((k) => `#${k.ordinal} ${k.claimed} → ${k.written}`).join(', ')}`,
    );
    const { rows: quarters } = await near.query(
      `with q as (select floor(${since('queued_at')} / 250)::int as q, count(*)::int as n from cells where run_id = $1 group by 1),
            k as (select floor(${since('claimed_at')} / 250)::int as q, count(*)::int as n from chunks where run_id = $1 group by 1),
            d as (select floor(${since('finished_at')} / 250)::int as q, count(*)::int as n from cells where run_id = $1 group by 1)
       select g as q, coalesce(q.n, 0) as queued, coalesce(k.n, 0) as claimed, coalesce(d.n, 0) as written
         from generate_series(0, (select max(q) from d)) g
         left join q on q.q = g left join k on k.q = g left join d on d.q = g order by g`,
      [run.id],
    );
    console.log('quarter: cells queued / chunks claimed / cells written');
    for (const row of quarters)
      console.log(`${(row.q / 4).toFixed(2)} s: ${row.queued} / ${row.claimed} / ${row.written}`);
  } finally {
    await worker.stop();
  }
  if (slowLog) {
    const log = await readFile(`${dataDir}/postgres.log`, 'utf8');
    for (const line of log.split('\n').filter((entry) => entry.includes('duration:')))
      console.log(line.slice(0, 200));
  }
} finally {
  await cluster.close();
}
