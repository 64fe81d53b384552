import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../src/embedded-holders';
import { silentLogger, startEmbeddedPostgres } from '../src/index';

/**
 * `glaze start`, `glaze worker` and `glaze enrich` share the embedded Postgres of a data dir. These
 * tests run the starter in another Node process (as the CLI would be) and kill it the ways an
 * operator does: Ctrl+C on its terminal, `kill -9`.
 */
const made: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of made.splice(0)) {
    const pid = postmasterPid(dir);
    if (pid && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
  }
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-holders-'));
  await chmod(dir, 0o755);
  made.push(dir);
  return dir;
}

const embeddedModule = fileURLToPath(new URL('../src/embedded.ts', import.meta.url));

/**
 * Starts (or joins) the cluster in another process, in a process group of its own like a shell job;
 * SIGINT makes it leave as `glaze start` does on Ctrl+C. Resolves once it holds the cluster.
 */
async function holderProcess(dir: string): Promise<ChildProcess> {
  const script = `
    import { startEmbeddedPostgres } from ${JSON.stringify(embeddedModule)};
    const embedded = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, settings: { fsync: 'off' } });
    process.on('SIGINT', async () => { await embedded.stop(); process.exit(0); });
    process.stdout.write('holding\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('holding')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

function postmasterPid(dir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('the embedded Postgres of a data dir is stopped by whoever leaves last', () => {
  it('keeps serving a process that joined when the starter gets Ctrl+C, and stops when that one leaves', async () => {
    const dir = await dataDir();
    const starter = await holderProcess(dir);
    const joined = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger });
    const pid = postmasterPid(dir);
    expect(pid).toBeGreaterThan(0);

    process.kill(-(starter.pid as number), 'SIGINT'); // the terminal's Ctrl+C reaches the whole job
    await exited(starter);
    expect(starter.exitCode).toBe(0);
    expect(await answers(joined.url)).toBe(true);

    await joined.stop();
    expect(isAlive(pid as number)).toBe(false);
  }, 60_000);

  it('stops the cluster when its only holder leaves', async () => {
    const dir = await dataDir();
    const starter = await holderProcess(dir);
    const pid = postmasterPid(dir) as number;
    process.kill(-(starter.pid as number), 'SIGINT');
    await exited(starter);
    expect(isAlive(pid)).toBe(false);
  }, 60_000);

  it('adopts a cluster whose starter was killed with SIGKILL, and stops it on leaving', async () => {
    const dir = await dataDir();
    const starter = await holderProcess(dir);
    const pid = postmasterPid(dir) as number;
    starter.kill('SIGKILL');
    await exited(starter);
    expect(isAlive(pid)).toBe(true); // nobody stopped it

    const next = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger });
    expect(postmasterPid(dir)).toBe(pid); // joined, not a second server
    expect(await answers(next.url)).toBe(true);
    await next.stop();
    expect(isAlive(pid)).toBe(false);
  }, 60_000);

  it('starts again after the last holder stopped it, and logs the server to postgres.log', async () => {
    const dir = await dataDir();
    const first = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger });
    await first.stop();
    await first.stop(); // twice is harmless
    const second = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger });
    expect(await answers(second.url)).toBe(true);
    await second.stop();
    const log = readFileSync(path.join(dir, 'postgres.log'), 'utf8');
    expect(log.match(/database system is ready to accept connections/g)?.length).toBe(2);
  }, 60_000);
});
