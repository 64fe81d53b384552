import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { seedTable, startTestWorker, testDatabase } from './helpers';

// Real worker processes killed with SIGKILL mid-run. Before heartbeats, a killed worker's claimed
// chunks came back after their lease, but the chunk jobs waiting in its local queue stayed locked for
// graphile-worker's 4 hours: 3,000–4,000 of 20,000 cells stayed `queued` for good.

const lease = 3;
const child = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url));
const children: ChildProcess[] = [];

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(() => db.drop());

async function startChild(): Promise<ChildProcess & { workerId: string }> {
  const worker = spawn(process.execPath, ['--import', 'tsx', child, db.url, String(lease), '100'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(worker);
  const [ready] = await once(worker.stdout!, 'data');
  return Object.assign(worker, { workerId: String(ready).trim().split(' ')[1] ?? '' });
}

async function counts(runId: number) {
  const { rows } = await db.pool.query(
    `select count(*) filter (where status in ('done', 'error', 'skipped', 'cancelled'))::int as terminal,
            count(*) filter (where status = 'error')::int as errors,
            count(*)::int as cells,
            max(finished_at) as "lastFinished"
     from cells where run_id = $1`,
    [runId],
  );
  return rows[0] as { terminal: number; errors: number; cells: number; lastFinished: Date };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs 20,000 mock cells (20 ms each), kills a worker at 30 %, and returns how the run ended. */
async function killMidRun(options: { survivors: number; replacementAfterMs?: number }) {
  const total = 20_000;
  const { column } = await seedTable(db, { rows: total, config: { latencyMs: 20 } });
  const victim = await startChild();
  for (let i = 0; i < options.survivors; i++) await startChild();
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  await waitUntil(async () => (await counts(run.id)).terminal >= total * 0.3, 60_000, '30 % of the cells');
  victim.kill('SIGKILL');
  await once(victim, 'exit');
  const killedAt = Date.now();
  if (options.replacementAfterMs !== undefined) {
    await new Promise((r) => setTimeout(r, options.replacementAfterMs));
    await startChild();
  }
  await waitUntil(async () => (await counts(run.id)).terminal === total, 60_000, 'every cell to end');
  const end = await counts(run.id);
  const { rows } = await db.pool.query(
    `select status, total, done_count + error_count + skipped_count + cancelled_count as counted,
            (select count(*)::int from chunks where run_id = $1 and status <> 'done') as "openChunks",
            (select coalesce(sum(losses), 0)::int from chunks where run_id = $1) as losses
     from runs where id = $1`,
    [run.id],
  );
  return { end, run: rows[0], recoveryMs: end.lastFinished.getTime() - killedAt, total };
}

it('kill -9 of one of two workers at 30 %: every cell ends, counts add up, within the lease bound', async () => {
  const { end, run, recoveryMs, total } = await killMidRun({ survivors: 1 });
  expect(end).toMatchObject({ terminal: total, errors: 0, cells: total });
  expect(run).toMatchObject({ status: 'done', total, counted: total, openChunks: 0 });
  expect(run.losses).toBeGreaterThan(0); // the victim held chunks, and they were recovered
  console.log(`worker-kill: last cell ${(recoveryMs / 1000).toFixed(1)} s after the kill (lease ${lease} s)`);
  // Detection within 2 x lease, then the survivor runs what was left (well under 10 s here).
  expect(recoveryMs).toBeLessThan((2 * lease + 10) * 1000);
}, 120_000);

it('kill -9 of the only worker, another started 1 s later: nothing waits on the dead one', async () => {
  const { end, run, recoveryMs, total } = await killMidRun({ survivors: 0, replacementAfterMs: 1000 });
  expect(end).toMatchObject({ terminal: total, errors: 0, cells: total });
  expect(run).toMatchObject({ status: 'done', total, counted: total, openChunks: 0 });
  console.log(
    `only-worker-kill: last cell ${(recoveryMs / 1000).toFixed(1)} s after the kill (lease ${lease} s)`,
  );
  expect(recoveryMs).toBeLessThan((2 * lease + 10) * 1000);
  // The retried cells say so: which attempt, and which worker died holding them.
  const { rows } = await db.pool.query(
    `select meta->'recovered' as recovered from cells where run_id = (select max(id) from runs)
     and meta ? 'recovered' limit 1`,
  );
  expect(rows[0]?.recovered).toMatchObject({ attempt: 2, previousWorker: expect.any(String) });
}, 120_000);

it('SIGTERM mid-run hands the chunks back within the lease: no loss, no error, tries kept', async () => {
  // 2 s calls and a 3 s lease: the chunks cannot finish in the half lease the worker waits.
  const { column } = await seedTable(db, { rows: 40, config: { latencyMs: 2500 } });
  const worker = await startChild();
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  await waitUntil(
    async () =>
      (await db.pool.query(`select 1 from chunks where run_id = $1 and status = 'running'`, [run.id]))
        .rowCount! > 0,
    10_000,
    'a claimed chunk',
  );
  const stoppedAt = Date.now();
  worker.kill('SIGTERM');
  const [code] = await once(worker, 'exit');
  expect(code).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(lease * 1000);
  const { rows: chunks } = await db.pool.query(
    `select status, losses, claimed_by as "claimedBy" from chunks where run_id = $1`,
    [run.id],
  );
  expect(chunks.every((k) => k.status === 'queued' && k.losses === 0 && k.claimedBy === null)).toBe(true);
  const { rows: workers } = await db.pool.query('select id from glaze_workers where id = $1', [
    worker.workerId,
  ]);
  expect(worker.workerId).not.toBe('');
  expect(workers).toEqual([]); // a stopped worker removes its heartbeat row
  const rescuer = await startTestWorker(db, { leaseSeconds: lease });
  try {
    await waitUntil(async () => (await counts(run.id)).terminal === 40, 20_000, 'the run to finish');
  } finally {
    await rescuer.stop();
  }
  const { rows: cells } = await db.pool.query(`select status, tries, meta from cells where run_id = $1`, [
    run.id,
  ]);
  expect(cells.every((c) => c.status === 'done' && c.tries === 1 && !c.meta?.recovered)).toBe(true);
}, 60_000);
