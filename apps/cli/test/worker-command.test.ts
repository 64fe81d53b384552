import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { getRun, startRun } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTable, testDatabase, waitForRun } from '../../../packages/engine/test/helpers';
import { finished, runGlaze, startGlaze, waitForLine } from './support/glaze-process';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-worker-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

/** A port nothing listens on now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('glaze worker', () => {
  it('prints a ready line, runs queued cells, serves its metrics, and exits 0 on SIGTERM', async () => {
    const metricsPort = await freePort();
    const worker = startGlaze(
      ['worker', '--concurrency', '2', '--cell-concurrency', '20', '--metrics-port', String(metricsPort)],
      { DATABASE_URL: db.url, GLAZE_DATA_DIR: path.join(dir, '.glaze') },
    );
    const exited = finished(worker);
    try {
      expect(await waitForLine(worker, /^glaze worker ready \(pid \d+\)$/)).toBe(
        `glaze worker ready (pid ${worker.pid})`,
      );
      const { column } = await seedTable(db, { rows: 300, config: { latencyMs: 2 } });
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 50 });
      expect(await waitForRun(db, run.id)).toBe('done');
      expect((await getRun(db.pool, run.id))?.counts.done).toBe(300);
      // --metrics-port: the same metrics as glaze start's, labelled role="worker"
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(
        /^glaze_cells_finished_total\{provider="mock",status="done",role="worker"\} 300$/m,
      );
    } finally {
      worker.kill('SIGTERM');
    }
    const result = await exited;
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('on SIGTERM finishes the chunks in hand before exiting: no cell is left running', async () => {
    const worker = startGlaze(['worker', '--concurrency', '1'], {
      DATABASE_URL: db.url,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    const exited = finished(worker);
    await waitForLine(worker, /glaze worker ready/);
    const { column } = await seedTable(db, { rows: 200, config: { latencyMs: 400 } });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    // wait until the worker holds a chunk, then ask it to stop
    for (let i = 0; i < 200; i += 1) {
      const { rows } = await db.pool.query(
        `select count(*)::int as n from cells where run_id = $1 and status = 'running'`,
        [run.id],
      );
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    worker.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    const { rows } = await db.pool.query(
      `select status, count(*)::int as n from cells where run_id = $1 group by status order by status`,
      [run.id],
    );
    const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(counts.running).toBeUndefined();
    expect(counts.done).toBeGreaterThanOrEqual(10);
    expect(counts.queued).toBeGreaterThan(0);
  });

  it('refuses a bad option', async () => {
    const result = await runGlaze(['worker', '--concurrency', 'many'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--concurrency: must be a positive integer, got "many"/);
  });
});
