import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

/**
 * A port Glaze cannot listen on (taken by another program, an address no interface has) fails
 * `glaze start` in one line naming the setting, not a stack trace, and leaves nothing running.
 */
let db: TestDatabase;
let dir: string;
let taken: net.Server;
let port: number;
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-listen-'));
  taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const start = (env: Record<string, string>) =>
  runGlaze(['start'], { DATABASE_URL: db.url, GLAZE_DATA_DIR: path.join(dir, '.glaze'), ...env });

describe('glaze start on a port it cannot listen on', () => {
  it('a port in use: one line naming PORT and the address', async () => {
    const result = await start({ PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `glaze: PORT (--port): 127.0.0.1:${port} is already in use (another Glaze, or another program, listens there); stop it or choose another port (0 picks a free one)\n`,
    );
  }, 60_000);

  it('the metrics port in use: one line naming GLAZE_METRICS_PORT', async () => {
    const result = await start({ PORT: '0', GLAZE_METRICS_PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^glaze: GLAZE_METRICS_PORT: 127\.0\.0\.1:\d+ is already in use/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('glaze worker with its metrics port in use: one line naming --metrics-port', async () => {
    const result = await runGlaze(['worker', '--metrics-port', String(port)], {
      DATABASE_URL: db.url,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `glaze: --metrics-port: 127.0.0.1:${port} is already in use (another Glaze, or another program, listens there); stop it or choose another port (0 picks a free one)\n`,
    );
  }, 60_000);

  it('an address no interface has: one line naming GLAZE_HOST', async () => {
    // TEST-NET-1 (RFC 5737): never an address of this machine
    const result = await start({ PORT: '0', GLAZE_HOST: '192.0.2.1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^glaze: GLAZE_HOST \(--host\): 192\.0\.2\.1 is not an address of this machine/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
