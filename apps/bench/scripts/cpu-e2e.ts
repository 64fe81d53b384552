/**
 * CPU per end-to-end run: the bench's `benchE2e` on an embedded Postgres, with the CPU time the
 * bench process (server, worker and client share it) and every Postgres process of the cluster used
 * over the runs, divided by the runs. On two shared cores a run's latency is at least its CPU time,
 * and under load its CPU time stretched by how many processes share the cores.
 *
 *   npx tsx apps/bench/scripts/cpu-e2e.ts [cells=10] [runs=50]
 */
import { startBenchCluster } from '../src/bench-database';
import { benchE2e } from '../src/scenarios/e2e';
import { postgresCpu } from './postgres-cpu';

const cells = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 50);
const cluster = await startBenchCluster(undefined);
try {
  const db = await cluster.database('cpu');
  const dataDir = cluster.dataDir as string;
  const pgBefore = await postgresCpu(dataDir);
  const nodeBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const figures = await benchE2e(db, cells, runs);
  const wall = (performance.now() - wallBefore) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const pg = (await postgresCpu(dataDir)) - pgBefore;
  // the bench's setup (import, column) and its 100 ms pauses are in these figures too
  const per = (seconds: number) => ((seconds / (runs + 2)) * 1000).toFixed(2);
  console.log(JSON.stringify(figures));
  console.log(
    `per run: node ${per((node.user + node.system) / 1e6)} ms CPU, postgres ${per(pg)} ms CPU, wall ${per(wall)} ms (incl. the bench's 100 ms pause)`,
  );
} finally {
  await cluster.close();
}
