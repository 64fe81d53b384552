import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from '@glaze/db';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { afterEach, expect, it } from 'vitest';
import { finished, startGlaze, waitForLine } from './support/glaze-process';
import { followTable } from './support/sse-follower';

// The database goes away in the middle of a run, under `glaze start` (server + worker) and a
// separate `glaze worker`, with a browser-like event stream open. Before, a 4 s fast shutdown made
// `glaze start` exit 1, a 3 s crash ended 72–145 cells in a misleading rate-limit error and left
// 1,073 cells queued for good.

const token = 'restart-admin-token-0123456789';
const auth = { authorization: `Bearer ${token}` };
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
});

async function runThroughFault(fault: (cluster: StoppableCluster) => Promise<void>) {
  const cluster = await startStoppableCluster();
  cleanup.push(() => cluster.close());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'glaze-restart-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const env = { DATABASE_URL: cluster.url, GLAZE_DATA_DIR: dataDir, GLAZE_ADMIN_TOKEN: token };
  const start = startGlaze(['start', '--port', '0'], env);
  const worker = startGlaze(['worker'], env);
  const exits = [finished(start), finished(worker)] as const;
  cleanup.push(async () => {
    for (const child of [start, worker]) if (child.exitCode === null) child.kill('SIGKILL');
  });
  // Both lines are awaited together: a line printed before its wait began would be missed.
  const [listening] = await Promise.all([
    waitForLine(start, /^glaze listening on /),
    waitForLine(worker, /^glaze worker ready/),
  ]);
  const url = listening.match(/http:\/\/[^ ]+/)?.[0];
  const api = `${url}/api/v1`;
  const csv = ['name', ...Array.from({ length: 10_000 }, (_, i) => `lead-${i}`)].join('\n');
  const imported = await post(`${api}/tables/import?name=Leads`, csv, 'text/csv');
  const tableId = imported.table.id as number;
  const column = await post(
    `${api}/tables/${tableId}/columns`,
    JSON.stringify({
      name: 'Slow',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{name}}', latencyMs: 400 },
    }),
  );
  const followed = followTable(`${api}/tables/${tableId}/events`, auth);
  cleanup.push(async () => followed.close());
  const watcher: Pool = createPool({ connectionString: cluster.url, max: 1 });
  cleanup.push(() => watcher.end());
  const { run } = await post(
    `${api}/tables/${tableId}/columns/${column.column.id}/runs`,
    JSON.stringify({ scope: 'all' }),
  );
  const terminal = async () => {
    const { rows } = await watcher.query(
      `select count(*)::int as n from cells where run_id = $1 and status <> 'queued'`,
      [run.id],
    );
    return rows[0].n as number;
  };
  while ((await terminal()) < 3_000) await sleep(100);
  await fault(cluster);
  const backAt = Date.now();
  for (;;) {
    const done = await terminal().catch(() => 0);
    if (done === 10_000) break;
    if (Date.now() - backAt > 60_000)
      throw new Error(`only ${done} of 10,000 cells ended 60 s after the fault`);
    await sleep(200);
  }
  const endedAfterMs = Date.now() - backAt;
  // Every change reached the stream, which resumed across the outage without a reset.
  for (let waited = 0; followed.runs.get(run.id) !== 'done' && waited < 10_000; waited += 100)
    await sleep(100);
  const { rows: summary } = await watcher.query(
    `select r.status, r.total, r.done_count as done, r.error_count as errors,
            (select count(*)::int from cells where run_id = r.id and status = 'error') as "errorCells",
            (select count(*)::int from chunks where run_id = r.id and status <> 'done') as "openChunks"
     from runs r where r.id = $1`,
    [run.id],
  );
  const streamDone = [...followed.cells.values()].filter((status) => status === 'done').length;
  const alive = [start, worker].every((child) => child.exitCode === null);
  for (const child of [start, worker]) child.kill('SIGTERM');
  const [startExit, workerExit] = await Promise.all(exits);
  return {
    runId: run.id as number,
    summary: summary[0],
    streamDone,
    followed,
    alive,
    startExit,
    workerExit,
    endedAfterMs,
  };
}

async function post(url: string, body: string, type = 'application/json') {
  const response = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': type }, body });
  const json = await response.json();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

function expectRunThrough(result: Awaited<ReturnType<typeof runThroughFault>>) {
  expect(result.alive).toBe(true);
  expect(result.summary).toEqual({
    status: 'done',
    total: 10_000,
    done: 10_000,
    errors: 0,
    errorCells: 0,
    openChunks: 0,
  });
  expect(result.streamDone).toBe(10_000);
  expect(result.followed.runs.get(result.summary ? [...result.followed.runs.keys()].at(-1)! : 0)).toBe(
    'done',
  );
  expect(result.followed).toMatchObject({ resets: 0, outOfOrder: 0 });
  expect(result.startExit.code).toBe(0);
  expect(result.workerExit.code).toBe(0);
  // Nothing in either log blames a cell on the database.
  expect(`${result.startExit.stderr}${result.workerExit.stderr}`).not.toMatch(/"level":50/);
}

it('Postgres stopped (fast shutdown) for 10 s mid-run: processes stay up, the run completes, the stream misses nothing', async () => {
  const result = await runThroughFault(async (cluster) => {
    await cluster.stopFast();
    await sleep(10_000);
    await cluster.start();
  });
  console.log(`pg-restart: run ended ${(result.endedAfterMs / 1000).toFixed(1)} s after Postgres was back`);
  expectRunThrough(result);
}, 120_000);

it('postmaster kill -9 mid-run, back 3 s later: processes stay up, the run completes, the stream misses nothing', async () => {
  const result = await runThroughFault(async (cluster) => {
    await cluster.crash();
    await sleep(3_000);
    await cluster.start();
  });
  console.log(`pg-kill: run ended ${(result.endedAfterMs / 1000).toFixed(1)} s after Postgres was back`);
  expectRunThrough(result);
}, 120_000);
