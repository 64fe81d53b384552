import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { isAlive } from '../src/embedded-holders';
import { createLogger, createPool, silentLogger, startEmbeddedPostgres } from '../src/index';
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

it('says why it cannot start again while it cannot (its port taken), and forgets it once back', {
  timeout: 60_000,
}, async () => {
  const own = await mkdtemp(path.join(tmpdir(), 'glaze-restart-refused-'));
  await chmod(own, 0o755);
  const embedded = await startEmbeddedPostgres({
    dataDir: own,
    settings: { fsync: 'off' },
    superviseMs: 100,
    logger: silentLogger,
  });
  const port = Number(new URL(embedded.url).port);
  const squatters: net.Server[] = [];
  try {
    expect(embedded.restartFailure()).toBeUndefined();
    const databaseDir = path.join(own, 'postgres');
    const killed = postmasterPid(databaseDir);
    process.kill(killed, 'SIGKILL');
    while (isAlive(killed)) await new Promise((resolve) => setTimeout(resolve, 10));
    // another program takes the port on both of Postgres's `localhost` addresses
    for (const host of ['127.0.0.1', '::1']) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      squatters.push(server);
    }
    const deadline = Date.now() + 30_000;
    while (embedded.restartFailure() === undefined) {
      if (Date.now() > deadline) throw new Error('no failure reported in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(embedded.restartFailure()).toMatch(/address already in use|could not create any TCP\/IP sockets/i);
    for (const server of squatters.splice(0)) await new Promise((resolve) => server.close(resolve));
    while (embedded.restartFailure() !== undefined) {
      if (Date.now() > deadline + 20_000) throw new Error('not back once the port was free');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(runningPort(databaseDir)).toBe(port);
  } finally {
    for (const server of squatters) server.close();
    await embedded.stop();
    await rm(own, { recursive: true, force: true });
  }
});
