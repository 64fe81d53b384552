import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Pgbouncer, pgbouncerBinary, startPgbouncer, withDatabase } from '@glaze/db/testing';
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
if (!pgbouncerBinary) console.warn('transaction-pooler.test.ts: skipped, pgbouncer is not installed');

const cells = 10_000;
const token = `glz_pooler_${randomBytes(12).toString('hex')}`;
let dir: string;
let database: string;
let poolerUrl: string;
let bouncer: Pgbouncer | undefined;

describe.skipIf(!pgbouncerBinary)('behind pgbouncer in transaction mode (its default settings)', () => {
  beforeAll(async () => {
    const adminUrl = inject('adminUrl');
    dir = await mkdtemp(path.join(tmpdir(), 'glaze-pooler-'));
    // A fresh, empty database: glaze migrates it through the pooler.
    database = `glaze_pooler_${randomBytes(6).toString('hex')}`;
    await admin(adminUrl, `create database ${database}`);
    bouncer = await startPgbouncer(adminUrl, database);
    poolerUrl = bouncer.url;
  });

  afterAll(async () => {
    await bouncer?.close();
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
        // Migrations took transaction-scoped locks: none is left on any server connection. A lock
        // left behind sits on an idle connection; one held by a statement still running (the write
        // rule's glaze_lock_table, for a moment) is not left behind.
        const locks = await direct.query(
          `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
           join pg_stat_activity a on a.pid = l.pid
           where l.locktype = 'advisory' and d.datname = $1 and a.state = 'idle'`,
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
    expect(result.stderr, bouncer?.log()).not.toMatch(
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
