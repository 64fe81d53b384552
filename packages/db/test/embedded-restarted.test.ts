import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { isAlive } from '../src/embedded-holders';
import { createLogger, createPool, startEmbeddedPostgres } from '../src/index';
import { runningPort } from '../src/postmaster';

/**
 * The embedded Postgres killed under a running Glaze (the OOM killer picks the largest process, a
 * `kill -9`, a crash) is started again on its port, with what was committed. Before, `glaze start`
 * answered 503 `database_unavailable` until someone restarted it.
 */
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const postmasterPid = (databaseDir: string) =>
  Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

it('comes back on the same URL after its postmaster is killed, with its data', {
  timeout: 60_000,
}, async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-restarted-'));
  await chmod(dir, 0o755);
  const lines: { msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const embedded = await startEmbeddedPostgres({
    dataDir: dir,
    settings: { fsync: 'off' },
    logger: createLogger('info', sink),
    superviseMs: 200,
  });
  const pool = createPool({ connectionString: embedded.url, max: 2 });
  try {
    await pool.query('create table kept (n int)');
    await pool.query('insert into kept values (1), (2)');
    const databaseDir = path.join(dir, 'postgres');
    const killed = postmasterPid(databaseDir);
    process.kill(killed, 'SIGKILL');
    const said = (msg: string) => lines.some((line) => line.msg === msg);
    const deadline = Date.now() + 45_000;
    while (!said('the embedded Postgres is back')) {
      if (Date.now() > deadline) throw new Error(`not back in 45 s; said: ${JSON.stringify(lines)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(said('the embedded Postgres stopped; starting it again')).toBe(true);
    expect(isAlive(killed)).toBe(false);
    expect(postmasterPid(databaseDir)).not.toBe(killed);
    // the pool's connections to the dead one fail once; the ones it opens next reach the new one
    let rows: { n: number }[] | undefined;
    for (let attempt = 0; !rows; attempt++) {
      try {
        rows = (await pool.query('select n from kept order by n')).rows;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
    // the URL is the one the pools were made with
    const direct = new pg.Client({ connectionString: embedded.url });
    await direct.connect();
    await direct.end();
  } finally {
    await pool.end();
    await embedded.stop();
  }
  // stopped like any other: no postmaster left running
  expect(runningPort(path.join(dir, 'postgres'))).toBeUndefined();
});
