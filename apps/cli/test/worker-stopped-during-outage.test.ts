import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStoppableCluster } from '@glaze/db/testing';
import { expect, it } from 'vitest';
import { finished, startGlaze, waitForLine } from './support/glaze-process';

// SIGTERM while the database is away: graphile-worker could not return its local queue and threw
// from inside it, killing the process with a stack trace. Now the worker waits up to a lease for the
// database, then stops without handing back (the reconciler returns its work later) and exits 0.
it('glaze worker stopped while the database is down exits 0 within a lease, without a stack trace', async () => {
  const cluster = await startStoppableCluster();
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-stop-outage-'));
  try {
    const worker = startGlaze(['worker'], { DATABASE_URL: cluster.url, GLAZE_DATA_DIR: dir });
    const exit = finished(worker);
    await waitForLine(worker, /^glaze worker ready/);
    await cluster.stopFast();
    // Let a heartbeat notice (every 5 s with the default 15 s lease).
    await new Promise((r) => setTimeout(r, 6_000));
    const stoppedAt = Date.now();
    worker.kill('SIGTERM');
    const result = await exit;
    const seconds = (Date.now() - stoppedAt) / 1000;
    expect(result.code, result.stderr).toBe(0);
    expect(seconds).toBeLessThan(15 + 5);
    expect(result.stderr).toMatch(/database still unreachable: stopping without handing back/);
    expect(result.stderr).not.toMatch(/at .*localQueue/);
  } finally {
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
