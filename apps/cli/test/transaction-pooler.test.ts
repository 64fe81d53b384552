import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withDatabase } from '@glaze/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEvents } from '../../server/test/helpers';
import { finished, startGlaze, waitForLine } from './support/glaze-process';

/**
 * `glaze start` with DATABASE_URL and WORKER_DATABASE_URL both through a real pgbouncer in
 * transaction mode, with pgbouncer's defaults: it refuses startup `options`, hands each transaction
 * to whichever server connection is free (named statements collide, session locks leak) and never
 * delivers a NOTIFY to a LISTENing client.
 */
const pgbouncer = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'].find((file) =>
  existsSync(file),
);
if (!pgbouncer) console.warn('transaction-pooler.test.ts: skipped, pgbouncer is not installed');

const cells = 10_000;
const token = `glz_pooler_${randomBytes(12).toString('hex')}`;
let dir: string;
let database: string;
let poolerUrl: string;
let bouncer: ChildProcess | undefined;
let bouncerLog = '';

describe.skipIf(!pgbouncer)('behind pgbouncer in transaction mode (its default settings)', () => {
  beforeAll(async () => {
    const adminUrl = inject('adminUrl');
    dir = await mkdtemp(path.join(tmpdir(), 'glaze-pooler-'));
    // A fresh, empty database: glaze migrates it through the pooler.
    database = `glaze_pooler_${randomBytes(6).toString('hex')}`;
    await admin(adminUrl, `create database ${database}`);
    const server = new URL(adminUrl);
    const user = decodeURIComponent(server.username || 'postgres');
    // The 5432 service trusts; the embedded cluster wants its password. pgbouncer asks the client
    // for the userlist's password and answers the server with it.
    const password = decodeURIComponent(server.password) || 'pooler';
    const port = await freePort();
    await writeFile(path.join(dir, 'users.txt'), `"${user}" "${password}"\n`);
    await writeFile(
      path.join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `${database} = host=${server.hostname} port=${server.port || 5432} dbname=${database}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        `unix_socket_dir = ${dir}`,
        'auth_type = md5',
        `auth_file = ${path.join(dir, 'users.txt')}`,
        'pool_mode = transaction',
        '',
      ].join('\n'),
    );
    // pgbouncer refuses to run as root.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      for (const file of ['', 'users.txt', 'pgbouncer.ini']) await chown(path.join(dir, file), uid, uid);
    }
    bouncer = spawn(
      pgbouncer as string,
      [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    bouncer.stdout?.on('data', (chunk) => {
      bouncerLog += chunk;
    });
    bouncer.stderr?.on('data', (chunk) => {
      bouncerLog += chunk;
    });
    const target = new URL(withDatabase(`postgres://127.0.0.1:${port}/`, database));
    target.username = encodeURIComponent(user);
    target.password = encodeURIComponent(password);
    poolerUrl = target.toString();
    await waitForConnection(poolerUrl);
  });

  afterAll(async () => {
    bouncer?.kill('SIGTERM');
    if (bouncer && bouncer.exitCode === null) await new Promise((resolve) => bouncer?.once('exit', resolve));
    if (database) await admin(inject('adminUrl'), `drop database if exists ${database} with (force)`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('glaze start migrates, runs 10,000 mock cells to done and streams the run end over SSE', async () => {
    const glaze = startGlaze(['start', '--port', '0'], {
      DATABASE_URL: poolerUrl,
      WORKER_DATABASE_URL: poolerUrl,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
      GLAZE_ADMIN_TOKEN: token,
    });
    const exited = finished(glaze);
    try {
      const line = await waitForLine(glaze, /^glaze listening on /);
      // Boot found the pooler: the feed polls rather than waiting on a LISTEN that never hears.
      expect(line).toContain('realtime poll');
      const base = `${line.match(/on (http:\/\/\S+)/)?.[1]}/api/v1`;
      const headers = { authorization: `Bearer ${token}` };
      const api = async (method: string, route: string, body: string, type = 'application/json') => {
        const response = await fetch(`${base}${route}`, {
          method,
          headers: { ...headers, 'content-type': type },
          body,
        });
        expect(response.status, `${method} ${route}: ${await response.clone().text()}`).toBeLessThan(300);
        return response.json();
      };
      const csv = `input\n${Array.from({ length: cells }, (_, i) => `row-${i}`).join('\n')}\n`;
      const { table } = await api('POST', '/tables/import?name=pooled', csv, 'text/csv');
      const { column } = await api(
        'POST',
        `/tables/${table.id}/columns`,
        JSON.stringify({
          name: 'mock',
          kind: 'enrichment',
          provider: 'mock',
          config: { input: '{{input}}' },
        }),
      );
      const events = await openEvents(`${base}/tables/${table.id}/events`, headers);
      try {
        expect((await events.next()).event).toBe('ready');
        const { run } = await api('POST', `/tables/${table.id}/columns/${column.id}/runs`, '{"scope":"all"}');
        // Every frame until the one that carries the run's end.
        let ended: { status: string; counts: { done: number } } | undefined;
        while (!ended) {
          const event = await events.next(20_000);
          const runs = (
            event.data as { runs?: Array<{ id: number; status: string; counts: { done: number } }> }
          ).runs;
          ended = runs?.find((r) => r.id === run.id && r.status !== 'running');
        }
        expect(ended).toMatchObject({ status: 'done', counts: { done: cells } });
      } finally {
        events.close();
      }
      const direct = new pg.Client({ connectionString: withDatabase(inject('adminUrl'), database) });
      await direct.connect();
      try {
        const { rows } = await direct.query(
          `select status, count(*)::int as n from cells where column_id = $1 group by status`,
          [column.id],
        );
        expect(rows).toEqual([{ status: 'done', n: cells }]);
        // Migrations took transaction-scoped locks: none is left on any server connection.
        const locks = await direct.query(
          `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
           where l.locktype = 'advisory' and d.datname = $1`,
          [database],
        );
        expect(locks.rows[0].n).toBe(0);
      } finally {
        await direct.end();
      }
    } finally {
      glaze.kill('SIGTERM');
    }
    const result = await exited;
    // No warning or error on the way (pino writes them to stderr, one JSON line each).
    expect(result.stderr, bouncerLog).not.toMatch(
      /"level":(40|50|60)|prepared statement|unsupported startup/,
    );
    expect(result).toMatchObject({ code: 0, signal: null });
  }, 60_000);
});

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForConnection(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline)
        throw new Error(`pgbouncer did not come up: ${(error as Error).message}\n${bouncerLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
