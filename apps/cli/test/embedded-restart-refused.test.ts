import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { finished, startGlaze, waitForLine } from './support/glaze-process';

/**
 * `glaze start` on its embedded Postgres, whose postmaster dies and cannot be started again (here
 * its port taken by another program; in the field, its WAL disk full): /readyz says why, not only
 * "unreachable" — before, the reason was in the log alone. Once it can start, it is back and /readyz
 * is 200 again.
 */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'glaze-restart-refused-'));
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('/readyz names why the embedded Postgres could not start again', { timeout: 90_000 }, async () => {
  const glaze = startGlaze(['start', '--no-worker', '--port', '0'], { GLAZE_DATA_DIR: dataDir });
  const exited = finished(glaze);
  const squatters: net.Server[] = [];
  const sockets: net.Socket[] = [];
  const release = async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const server of squatters.splice(0)) await new Promise((resolve) => server.close(resolve));
  };
  try {
    const origin = /http:\/\/\S+/.exec(await waitForLine(glaze, /^glaze listening on /))?.[0];
    const ready = async () => {
      const response = await fetch(`${origin}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await ready()).status).toBe(200);
    const pidFile = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
    const [pid, port] = [Number(pidFile[0]), Number(pidFile[3])];
    process.kill(pid, 'SIGKILL');
    await waitUntil('the postmaster gone', async () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    for (const host of ['127.0.0.1', '::1']) {
      // it takes the pool's connections and never answers them: closed with it, below
      const server = net.createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      squatters.push(server);
    }
    const refused = await waitUntil('/readyz with a diagnosis', async () => {
      const answer = await ready();
      return answer.body.diagnosis === undefined ? undefined : answer;
    });
    expect(refused.status).toBe(503);
    expect(refused.body.reason).toMatch(/unreachable/);
    expect(refused.body.diagnosis).toMatch(
      /^the embedded Postgres stopped and did not start again: .*could not create any TCP\/IP sockets/,
    );
    await release();
    const back = await waitUntil('/readyz 200 again', async () => {
      const answer = await ready();
      return answer.status === 200 ? answer : undefined;
    });
    expect(back.body).toMatchObject({ ok: true });
  } finally {
    await release();
    glaze.kill('SIGTERM');
    await exited;
  }
});
