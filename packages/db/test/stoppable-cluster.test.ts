import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPool, DatabaseHealth, isDatabaseUnavailable, type Pool } from '../src/index';
import { type StoppableCluster, startStoppableCluster } from '../src/testing';

/**
 * The fault-test cluster does what it says (stops, crashes, comes back with its data), and what its
 * faults look like to a client is what `isDatabaseUnavailable` and `DatabaseHealth` expect.
 */
let cluster: StoppableCluster;
let pool: Pool;
beforeAll(async () => {
  cluster = await startStoppableCluster();
  pool = createPool({ connectionString: cluster.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await cluster?.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a Postgres the test can stop', () => {
  it('a fast shutdown and a kill -9 both read as "unavailable", and committed data survives both', async () => {
    await pool.query('create table kept (n int)');
    await pool.query('insert into kept values (1)');
    const held = await pool.connect();

    await cluster.stopFast();
    expect(cluster.pid).toBeUndefined();
    const onHeld = await failure(held.query('select 1'));
    held.release(true);
    const onNew = await failure(pool.query('select 1'));
    expect(isDatabaseUnavailable(onHeld)).toBe(true);
    expect(isDatabaseUnavailable(onNew)).toBe(true);

    await cluster.start();
    await pool.query('insert into kept values (2)');
    const idle = await pool.connect();
    idle.release();
    const pid = cluster.pid as number;
    await cluster.crash();
    // Dead, or a zombie until this process (its parent) reaps it: either way it answers nothing.
    expect(['gone', 'Z']).toContain(processState(pid));
    expect(isDatabaseUnavailable(await failure(pool.query('select 1')))).toBe(true);

    await cluster.start();
    const { rows } = await pool.query('select n from kept order by n');
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  it('DatabaseHealth logs one line when the database goes and one when it is back', async () => {
    const lines: { msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const health = new DatabaseHealth(pool, createLogger('info', sink), {
      name: 'DATABASE_URL',
      probeMs: 50,
    });
    await cluster.stopFast();
    for (let i = 0; i < 5; i++) expect(health.failed(await failure(pool.query('select 1')))).toBe(true);
    expect(health.available).toBe(false);
    expect(health.failed(new Error('syntax error at or near "selec"'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await cluster.start();
    await health.whenAvailable();
    expect(health.available).toBe(true);
    expect(lines.map((l) => l.msg)).toEqual([
      'database unreachable; work waits and resumes when it is back',
      'database is back',
    ]);
    health.close();
  });
});

function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
  } catch {
    return 'gone';
  }
}
