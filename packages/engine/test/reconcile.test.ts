import { silentLogger } from '@glaze/db';
import { builtinProviders } from '@glaze/providers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addColumn,
  autoRunPaid,
  insertRows,
  ResultFlusher,
  reconcile,
  runAutoColumns,
  runStaleAutoColumns,
  startRun,
  updateRows,
} from '../src/index';
import { statements } from '../src/worker/statements';
import { cellsOf, chunksOf, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

// The states the reconciler repairs, made by hand the way crashes and outages made them, then
// repaired by one pass of `reconcile` and finished by a worker.
const db = useTestDatabase();

const pass = () =>
  reconcile({
    pool: db.pool,
    flusher: new ResultFlusher(db.pool, { logger: silentLogger }),
    deadAfterSeconds: 5,
    providers: builtinProviders,
  });

// Cases lock jobs by hand in the names of made-up workers: none of that outlives its case.
afterEach(async () => {
  await db.pool.query(`update graphile_worker._private_jobs set locked_by = null, locked_at = null`);
  await db.pool.query(`delete from glaze_workers`);
});

/** A mock auto-run column named `name` reading `reads`: the seeded input, or the seeded column `out`. */
const addAutoRun = (tableId: number, name: string, reads: 'input' | 'out') =>
  addColumn(db.pool, builtinProviders, {
    tableId,
    name,
    kind: 'enrichment',
    provider: 'mock',
    config: { input: `{{${reads}}}`, autoRun: true },
  });

/** Starts a worker, waits for the run to leave `running` and stops the worker: the run's status. */
async function finishRun(runId: number): Promise<string> {
  const worker = await startTestWorker(db);
  try {
    return await waitForRun(db, runId);
  } finally {
    await worker.stop();
  }
}

it('a queued chunk whose job is gone gets a new one, and a chunk closed with queued cells is reopened', async () => {
  const { column } = await seedTable(db, { rows: 20 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
  const [jobless, closed] = await chunksOf(db, run.id);
  // The first chunk's job failed for good; the second was closed by a flush that raced a lost one.
  await db.pool.query(`update graphile_worker._private_jobs set attempts = max_attempts where key = $1`, [
    `glaze_chunk:${jobless}`,
  ]);
  await db.pool.query(`update chunks set status = 'done' where id = $1`, [closed]);
  await db.pool.query(`delete from graphile_worker._private_jobs where key = $1`, [`glaze_chunk:${closed}`]);
  expect(await pass()).toMatchObject({ jobless: 1, closedEarly: 1 });
  expect(await pass()).toMatchObject({ jobless: 0, closedEarly: 0 }); // repaired once, not twice
  expect(await finishRun(run.id)).toBe('done');
  expect((await cellsOf(db, column.id)).every((c) => c.status === 'done')).toBe(true);
});

it("jobs locked by a worker whose heartbeat stopped are unlocked; a live worker's are left alone", async () => {
  const { column } = await seedTable(db, { rows: 20 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
  const [deadsJob, livesJob] = await chunksOf(db, run.id);
  await db.pool.query(
    `insert into glaze_workers (id, host, pid, job_holders, heartbeat_at) values
       ('dead:1:aa', 'dead', 1, '{pool-dead}', now() - interval '1 minute'),
       ('live:2:bb', 'live', 2, '{pool-live}', now())`,
  );
  const lock = (key: string, holder: string) =>
    db.pool.query(
      `update graphile_worker._private_jobs set locked_by = $2, locked_at = now() - interval '1 minute' where key = $1`,
      [key, holder],
    );
  await lock(`glaze_chunk:${deadsJob}`, 'pool-dead');
  await lock(`glaze_chunk:${livesJob}`, 'pool-live');
  // The live worker has that job in hand (its heartbeat says so).
  await db.pool.query(
    `update glaze_workers set held_jobs = array(select id from graphile_worker.jobs where key = $1)
     where id = 'live:2:bb'`,
    [`glaze_chunk:${livesJob}`],
  );
  expect(await pass()).toMatchObject({ deadWorkers: ['dead:1:aa'], unlockedJobs: 1 });
  const { rows } = await db.pool.query(
    `select key, locked_by from graphile_worker.jobs where key = any($1) order by key`,
    [[`glaze_chunk:${deadsJob}`, `glaze_chunk:${livesJob}`]],
  );
  expect(Object.fromEntries(rows.map((r) => [r.key, r.locked_by]))).toEqual({
    [`glaze_chunk:${deadsJob}`]: null,
    [`glaze_chunk:${livesJob}`]: 'pool-live',
  });
});

it('a job locked in the name of a live worker that no longer holds it (its completion was lost) is replaced', async () => {
  const { column } = await seedTable(db, { rows: 10 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
  const [chunk] = await chunksOf(db, run.id);
  const key = `glaze_chunk:${chunk}`;
  await db.pool.query(
    `insert into glaze_workers (id, host, pid, job_holders, held_jobs) values ('live:3:cc', 'live', 3, '{pool-c}', '{}')`,
  );
  await db.pool.query(
    `update graphile_worker._private_jobs set locked_by = 'pool-c', locked_at = now() - interval '1 minute' where key = $1`,
    [key],
  );
  expect(await pass()).toMatchObject({ deadWorkers: [], unlockedJobs: 0, jobless: 1 });
  // A fresh, unlocked job carries the key now (the lost one lost its key and can never run again).
  const fresh = await db.pool.query(`select locked_by from graphile_worker.jobs where key = $1`, [key]);
  expect(fresh.rows).toEqual([{ locked_by: null }]);
  expect(await finishRun(run.id)).toBe('done');
});

it("an expanding run whose expansion job is locked in a live worker's name but not held (its fetch's answer was lost) expands again", async () => {
  const { column } = await seedTable(db, { rows: 60 });
  // 20 rows queued by the start, the other 40 by expansion jobs of 20 rows each
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', startBatch: 20, expandBatch: 20 });
  const key = `glaze_expand:${run.id}`;
  await db.pool.query(
    `insert into glaze_workers (id, host, pid, job_holders, held_jobs) values ('live:4:dd', 'live', 4, '{pool-d}', '{}')`,
  );
  const lockExpansion = (ago: string) =>
    db.pool.query(
      `update graphile_worker._private_jobs set locked_by = 'pool-d', locked_at = now() - $2::interval
       where key = $1`,
      [key, ago],
    );
  // locked a moment ago: it may still be on its way to the worker, so it is left alone
  await lockExpansion('1 second');
  expect(await pass()).toMatchObject({ expansionsResumed: 0 });
  await lockExpansion('1 minute');
  expect(await pass()).toMatchObject({ expansionsResumed: 1, unlockedJobs: 0 });
  expect(await pass()).toMatchObject({ expansionsResumed: 0 }); // repaired once, not twice
  const fresh = await db.pool.query(`select locked_by from graphile_worker.jobs where key = $1`, [key]);
  expect(fresh.rows).toEqual([{ locked_by: null }]);
  expect(await finishRun(run.id)).toBe('done');
  const cells = await cellsOf(db, column.id);
  expect(cells).toHaveLength(60);
  expect(cells.every((c) => c.status === 'done')).toBe(true);
});

it('the rule of a lost job (glaze_job_lost_by, migration 038) is inlined into both statements that use it', async () => {
  // Not inlined, it would run as a function for every job reopen-chunks looks at; inlined, both plans
  // are those of the rule written out. Declaring it strict or volatile, or giving it a SET, stops that.
  for (const statement of [statements.reopenChunks, statements.resumeExpansions]) {
    const { rows } = await db.pool.query(`explain (format json) ${statement.text}`, [5]);
    const plan = JSON.stringify(rows[0]['QUERY PLAN']);
    expect(plan).toContain('"Relation Name":"glaze_workers"');
    expect(plan).not.toContain('glaze_job_lost_by');
  }
});

it('a finished chunk that still owes an auto-run column its rows (its worker was killed first) gives them', async () => {
  const { table, column, rowIds } = await seedTable(db, { rows: 20 });
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
  expect(await finishRun(run.id)).toBe('done');
  // An auto-run column reading it, and the first chunk marked as its worker leaves it when killed
  // after its last write and before starting the downstream run.
  const down = await addAutoRun(table.id, 'down', 'out');
  const [owing] = await chunksOf(db, run.id);
  await db.pool.query(`update chunks set downstream_owed_since = now() - interval '1 minute' where id = $1`, [
    owing,
  ]);
  expect(await pass()).toMatchObject({ downstreamPaid: 1 });
  expect(await pass()).toMatchObject({ downstreamPaid: 0 }); // paid once, not twice
  const { rows } = await db.pool.query('select id, total from runs where column_id = $1', [down.id]);
  expect(rows).toEqual([{ id: expect.any(Number), total: 10 }]);
  expect(await finishRun(rows[0].id)).toBe('done');
  const done = (await cellsOf(db, down.id)).filter((c) => c.status === 'done').map((c) => c.rowId);
  expect(done).toEqual(rowIds.slice(0, 10));
});

it('a run whose column auto-run columns read leaves no chunk owing them anything', async () => {
  const { table, column } = await seedTable(db, { rows: 30 });
  const down = await addAutoRun(table.id, 'down', 'out');
  const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
  const worker = await startTestWorker(db);
  try {
    expect(await waitForRun(db, run.id)).toBe('done');
    await expect
      .poll(async () => (await cellsOf(db, down.id)).filter((c) => c.status === 'done').length)
      .toBe(30);
    // The mark clears a round trip after the downstream runs start, and startRun returns only once
    // its commit is flushed: on a loaded disk the downstream cells (claimed on the start's NOTIFY)
    // can be done first (CI saw all three chunks still marked). The reconciler pays only a lease
    // (15 s) later, after this poll gives up: the chunks' own workers cleared them.
    const owing = async () =>
      (
        await db.pool.query(
          'select count(*)::int as owing from chunks where run_id = $1 and downstream_owed_since is not null',
          [run.id],
        )
      ).rows[0].owing;
    await expect.poll(owing).toBe(0);
  } finally {
    await worker.stop();
  }
});

describe('rows appended to a table with an auto-run column', () => {
  const owedRows = async (tableId: number) =>
    (
      await db.pool.query(
        `select lower(row_ids)::int as "from", upper(row_ids)::int - 1 as "to" from auto_run_owed where table_id = $1`,
        [tableId],
      )
    ).rows;

  it('are owed their runs until started; a table without one owes nothing', async () => {
    const { table } = await seedTable(db, { rows: 5 });
    expect(await owedRows(table.id)).toEqual([]); // its column is not auto-run
    await addAutoRun(table.id, 'auto', 'input');
    const added = await insertRows(db.pool, table.id, [{ input: 'n1' }, { input: 'n2' }]);
    expect(await owedRows(table.id)).toEqual([{ from: added[0], to: added[1] }]);
    await runAutoColumns(db.pool, table.id, added, { providers: builtinProviders });
    await autoRunPaid(db.pool, table.id, added[0] as number, added[1] as number);
    expect(await owedRows(table.id)).toEqual([]);
  });

  it('get their runs from the reconciler when the process that added them died first, and only they', async () => {
    const { table } = await seedTable(db, { rows: 5 });
    const auto = await addAutoRun(table.id, 'auto', 'input');
    const added = await insertRows(db.pool, table.id, [{ input: 'n1' }, { input: 'n2' }, { input: 'n3' }]);
    // nothing started them: the server was killed between the rows' commit and the starts
    await db.pool.query(`update auto_run_owed set since = now() - interval '1 minute' where table_id = $1`, [
      table.id,
    ]);
    expect(await pass()).toMatchObject({ autoRunPaid: 1 });
    expect(await pass()).toMatchObject({ autoRunPaid: 0 }); // paid once
    const { rows } = await db.pool.query('select id, total from runs where column_id = $1', [auto.id]);
    expect(rows).toEqual([{ id: expect.any(Number), total: 3 }]); // not the 5 rows from before the column
    expect(await finishRun(rows[0].id)).toBe('done');
    const done = (await cellsOf(db, auto.id)).filter((c) => c.status === 'done').map((c) => c.rowId);
    expect(done).toEqual(added);
  });
});

it('auto-run cells an edit left stale are re-run by the reconciler when the re-run never started', async () => {
  const { table, rowIds } = await seedTable(db, { rows: 4 });
  const auto = await addAutoRun(table.id, 'auto', 'input');
  const first = await startRun(db.pool, { columnId: auto.id, scope: 'all' });
  expect(await finishRun(first.id)).toBe('done');
  const owed = async () =>
    (
      await db.pool.query('select count(*)::int as n from stale_auto_run_owed where table_id = $1', [
        table.id,
      ])
    ).rows[0].n;
  const edit = (input: string) =>
    updateRows(db.pool, table.id, [{ id: rowIds[1] as number, values: { input } }], {
      providers: builtinProviders,
    });
  await edit('changed');
  expect(await owed()).toBe(1);
  // the server's debounced re-run clears it
  await runStaleAutoColumns(db.pool, builtinProviders, { tableId: table.id });
  expect(await owed()).toBe(0);
  const { rows: second } = await db.pool.query('select max(id) as id from runs where column_id = $1', [
    auto.id,
  ]);
  expect(await finishRun(Number(second[0].id))).toBe('done');
  // ... and when its server died first, the reconciler re-runs it a lease later
  await edit('changed again');
  await db.pool.query(
    `update stale_auto_run_owed set since = now() - interval '1 minute' where table_id = $1`,
    [table.id],
  );
  expect(await pass()).toMatchObject({ staleRerun: 1 });
  expect(await pass()).toMatchObject({ staleRerun: 0 });
  const { rows: third } = await db.pool.query(
    'select max(id) as id, count(*)::int as n from runs where column_id = $1',
    [auto.id],
  );
  expect(third[0].n).toBe(3);
  expect(await finishRun(Number(third[0].id))).toBe('done');
  const cells = await cellsOf(db, auto.id);
  expect(cells.map((c) => c.status)).toEqual(['done', 'done', 'done', 'done']);
});

it('a repair that fails (not for an outage) is reported, and the repairs after it still run', async () => {
  const { table, rowIds } = await seedTable(db, { rows: 2 });
  const auto = await addAutoRun(table.id, 'auto', 'input');
  expect(await finishRun((await startRun(db.pool, { columnId: auto.id, scope: 'all' })).id)).toBe('done');
  await updateRows(db.pool, table.id, [{ id: rowIds[0] as number, values: { input: 'edited' } }], {
    providers: builtinProviders,
  });
  await db.pool.query(`update stale_auto_run_owed set since = now() - interval '1 minute'`);
  // the appended rows' repair (step 6) meets a statement the database refuses
  await db.pool.query('alter table auto_run_owed rename to auto_run_owed_away');
  try {
    const result = await pass();
    expect(result.failures.map((f) => [f.repair, f.error.message])).toEqual([
      ['runOwedAutoColumns', 'relation "auto_run_owed" does not exist'],
    ]);
    expect(result).toMatchObject({ staleRerun: 1 }); // step 7 ran all the same
  } finally {
    await db.pool.query('alter table auto_run_owed_away rename to auto_run_owed');
  }
  expect((await pass()).failures).toEqual([]);
});
