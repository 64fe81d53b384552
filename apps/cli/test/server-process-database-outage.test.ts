import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents } from '../../server/test/helpers';
import { finished, startGlaze, waitForLine } from './support/glaze-process';

/**
 * `glaze start --no-worker` as a real process while its Postgres shuts down for 5 s: the process
 * stays up, answers /healthz 200, /readyz and the API 503, logs one line when the database goes and
 * one when it is back, its event stream carries the rows written after the outage, and it still
 * stops cleanly on SIGINT. (In-process variants with more streams: apps/server/test/database-*.test.ts.)
 */
let cluster: StoppableCluster;
let dir: string;
beforeAll(async () => {
  cluster = await startStoppableCluster();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-outage-'));
});
afterAll(async () => {
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a glaze server process whose database goes away', () => {
  it('stays up, answers 503 meanwhile and carries on afterwards', async () => {
    const token = randomBytes(24).toString('hex');
    const glaze = startGlaze(['start', '--no-worker', '--port', '0'], {
      DATABASE_URL: cluster.url,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
      GLAZE_ADMIN_TOKEN: token,
      GLAZE_LOG_LEVEL: 'info',
      GLAZE_WEB_DIR: dir,
    });
    const exited = finished(glaze);
    try {
      const origin = /http:\/\/\S+/.exec(await waitForLine(glaze, /^glaze listening on /))?.[0];
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const call = (method: string, url: string, body?: unknown) =>
        fetch(`${origin}/api/v1${url}`, {
          method,
          headers: auth,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const { table } = await (await call('POST', '/tables', { name: 'Leads', columns: ['name'] })).json();
      const events = await openEvents(`${origin}/api/v1/tables/${table.id}/events`, auth);
      expect((await events.next()).event).toBe('ready');

      await cluster.stopFast();
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(503);
      const during = await call('POST', `/tables/${table.id}/rows`, { rows: [{ name: 'lost' }] });
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('5');
      expect((await during.json()).error.code).toBe('database_unavailable');
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(glaze.exitCode).toBeNull();
      await cluster.start();

      const after = await call('POST', `/tables/${table.id}/rows`, {
        rows: [{ name: 'Ada' }, { name: 'Alan' }],
      });
      expect(after.status).toBe(201);
      const { ids } = await after.json();
      const seen: number[] = [];
      while (seen.length < ids.length) {
        const event = await events.next(15_000);
        if (event.event === 'changes')
          seen.push(...(event.data as { rows: { id: number }[] }).rows.map((r) => r.id));
      }
      expect(seen.sort()).toEqual([...ids].sort());
      events.close();
    } finally {
      glaze.kill('SIGINT');
    }
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    const lines = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([
      'database unreachable; work waits and resumes when it is back',
      'database is back',
    ]);
    expect(lines.filter((line) => line.msg === 'database is back')).toHaveLength(1);
  }, 60_000);
});
