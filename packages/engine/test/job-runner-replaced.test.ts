import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

// graphile-worker's pool shuts itself down when a job's completion cannot be written (0.17 does not
// retry it), and its shutdown then waits on giving back the jobs of its local queue. After a database
// crash both failed: the pool never finished shutting down, the worker's heartbeat went on, and the
// process ran no job again (a run stopped at 46 of 104 chunks under `glaze start`). The worker now
// starts a new runner as soon as the pool begins to shut down. Here the completions and the give-back
// fail by a trigger while a flag row exists, as they did against a database that had gone.
const db = useTestDatabase();
const giveBack = 'Error occurred whilst returning jobs from local queue';
const swallowGiveBack = (reason: unknown) => {
  // the CLI says this one line too (apps/cli/src/main.ts): the pool's give-back that failed
  if (!String((reason as Error)?.message ?? reason).startsWith(giveBack)) throw reason;
};
beforeAll(async () => {
  process.on('unhandledRejection', swallowGiveBack);
  await db.pool.query(`
    create table fail_job_writes (on_ boolean);
    create function fail_job_writes() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from fail_job_writes) then raise exception 'job writes refused (test)'; end if;
      return coalesce(new, old);
    end $$;
    create trigger fail_job_deletes before delete on graphile_worker._private_jobs
      for each row execute function fail_job_writes();
    create trigger fail_job_returns before update on graphile_worker._private_jobs
      for each row when (new.locked_by is null and old.locked_by is not null)
      execute function fail_job_writes();
  `);
});
afterAll(async () => {
  process.off('unhandledRejection', swallowGiveBack);
  await db.pool.query(`
    drop trigger fail_job_deletes on graphile_worker._private_jobs;
    drop trigger fail_job_returns on graphile_worker._private_jobs;
    drop table fail_job_writes;
  `);
});

/**
 * Starts a run of 30 chunks of 10 cells while job completions are refused: the first completions
 * fail and the pool begins to shut down (its local queue holds jobs then). Completions are let
 * through again half a second after the first chunk is done.
 */
async function startWhileCompletionsFail(columnId: number): Promise<{ id: number }> {
  await db.pool.query('insert into fail_job_writes values (true)');
  const run = await startRun(db.pool, { columnId, scope: 'all', chunkSize: 10 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await db.pool.query(
      `select count(*)::int as n from chunks where run_id = $1 and status = 'done'`,
      [run.id],
    );
    if (rows[0].n > 0) break;
    if (Date.now() > deadline) throw new Error('no chunk finished');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.pool.query('delete from fail_job_writes');
  return run;
}

it('a job runner whose pool shut itself down is replaced, and the next run is worked', {
  timeout: 60_000,
}, async () => {
  // 30 chunks of 10 slow cells: the local queue holds jobs when the first completion fails
  const { column } = await seedTable(db, { rows: 300, config: { latencyMs: 100 } });
  const worker = await startTestWorker(db, { leaseSeconds: 2 });
  try {
    const first = await startWhileCompletionsFail(column.id);
    // the jobs the old pool held are unlocked by the runner that replaced it, which works them
    expect(await waitForRun(db, first.id, 40_000)).toBe('done');
    const second = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    expect(await waitForRun(db, second.id, 20_000)).toBe('done');
  } finally {
    await db.pool.query('delete from fail_job_writes');
    await worker.stop();
  }
});

it("the replaced runner's jobs are unlocked by the new runner at once, not a lease later by the reconciler", {
  timeout: 60_000,
}, async () => {
  const { column } = await seedTable(db, { rows: 300, config: { latencyMs: 100 } });
  // no reconciler pass during the test: the jobs the old pool still locks can only be unlocked by the
  // worker that replaced it (graphile-worker's own lock timeout is 4 hours)
  const worker = await startTestWorker(db, { leaseSeconds: 2, sweepIntervalMs: 600_000 });
  try {
    const first = await startWhileCompletionsFail(column.id);
    expect(await waitForRun(db, first.id, 30_000)).toBe('done');
  } finally {
    await db.pool.query('delete from fail_job_writes');
    await worker.stop();
  }
});
