/**
 * A worker's generic plans after its tables grow: a fresh database, a worker planning like
 * `glaze start`'s (generic plans, asynchronous commits), a 10-row table's column run twice, then a
 * bigger table's column run twice. Prints each pass's wall time and the worker pool's busiest
 * statements (count × mean, from send to answer). Compare with every statement planned anew:
 *
 *   npx tsx apps/bench/scripts/generic-plans.ts                 # on an embedded Postgres
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/bench/scripts/generic-plans.ts
 *   GENERIC=0 …   # the worker plans every statement anew (plan_cache_mode left at auto)
 *   DOWN=0 …      # no auto-run column reading the first (default: one, started per finished chunk)
 *   ROWS=100000 … # the bigger table's rows (default 20,000)
 */
import { createPool, type Pool, silentLogger } from '@glaze/db';
import { addColumn, createTable, createWorker, insertRows, startRun } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { startBenchCluster } from '../src/bench-database';

const generic = process.env.GENERIC !== '0';
const downstream = process.env.DOWN !== '0';
const bigRows = Number(process.env.ROWS ?? 20_000);

const cluster = await startBenchCluster(process.env.DATABASE_URL);
const database = await cluster.database('generic_plans');
// setup and starts on the direct pool; the worker on a pool of the script's own (generic plans or not)
const pool = database.near as Pool;
const workerPool = createPool({
  connectionString: database.url,
  max: 10,
  synchronousCommit: false,
  genericPlans: generic,
});
const timings = timeStatements(workerPool);
const worker = await createWorker({ pool: workerPool, providers: builtinProviders, logger: silentLogger });
const { rows: workspaces } = await pool.query(`insert into workspaces (name) values ('plans') returning id`);

await passes('small', 10);
timings.clear();
await passes('big', bigRows);
for (const [name, { count, ms }] of [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8))
  console.log(`  ${name}: ${count} × ${(ms / count).toFixed(1)} ms`);

await worker.stop();
await workerPool.end();
await cluster.close();

/** A table of `rows` rows, its column (and an auto-run column reading it) run twice. */
async function passes(label: string, rows: number): Promise<void> {
  const table = await createTable(pool, {
    workspaceId: workspaces[0].id,
    name: label,
    inputColumns: ['input'],
  });
  await insertRows(
    pool,
    table.id,
    Array.from({ length: rows }, (_, i) => ({ input: `v${i}` })),
  );
  const column = await addColumn(pool, builtinProviders, {
    tableId: table.id,
    name: 'A',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{input}}' },
  });
  if (downstream)
    await addColumn(pool, builtinProviders, {
      tableId: table.id,
      name: 'B',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{A}}', autoRun: true },
    });
  for (let pass = 1; pass <= 2; pass++) {
    const started = Date.now();
    await startRun(pool, { columnId: column.id, scope: 'all' });
    await runsEnded(table.id);
    console.log(`${label} table, ${rows} rows, pass ${pass}: every run ended in ${Date.now() - started} ms`);
  }
}

async function runsEnded(tableId: number): Promise<void> {
  for (;;) {
    const { rows } = await pool.query(
      `select count(*) filter (where status = 'running')::int as running from runs where table_id = $1`,
      [tableId],
    );
    if (rows[0].running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Send-to-answer time of every statement a client of `pool` sends, by statement name (or first words). */
function timeStatements(pool: Pool): Map<string, { count: number; ms: number }> {
  const timings = new Map<string, { count: number; ms: number }>();
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { name?: string; text: string };
      const label = typeof first === 'string' ? first : (first.name ?? first.text);
      const name = label.replace(/\s+/g, ' ').slice(0, 50);
      const sent = performance.now();
      const done = () => {
        const entry = timings.get(name) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - sent;
        timings.set(name, entry);
      };
      const callback = args.findIndex((arg) => typeof arg === 'function');
      if (callback >= 0) {
        const original = args[callback] as (...results: unknown[]) => void;
        args[callback] = (...results: unknown[]) => {
          done();
          original(...results);
        };
        return query(...args);
      }
      const result = query(...args) as Promise<unknown>;
      result.then(done, () => {});
      return result;
    };
  });
  return timings;
}
