import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { silentLogger, startEmbeddedPostgres } from '../src/index';

/**
 * Glaze reaches its embedded Postgres through the cluster's Unix socket, in the cluster's own
 * directory, not over TCP: a third less per round trip. Where that directory cannot hold a socket (a
 * path past a socket's 107 bytes, a filesystem without sockets) the socket is in /tmp, Postgres's
 * default.
 */
const made: string[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-socket-'));
  await chmod(dir, 0o755);
  made.push(dir);
  return dir;
}

async function start(dir: string) {
  const embedded = await startEmbeddedPostgres({
    dataDir: dir,
    settings: { fsync: 'off' },
    logger: silentLogger,
  });
  stops.push(embedded.stop);
  return embedded;
}

/** The server's address as the session sees it: null over a Unix socket. */
async function serverAddress(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select inet_server_addr()::text as addr')).rows[0].addr;
  } finally {
    await client.end();
  }
}

it('connects through the socket in the cluster directory, and so does a process that joins it', {
  timeout: 60_000,
}, async () => {
  const dir = await dataDir();
  const embedded = await start(dir);
  expect(new URL(embedded.url).searchParams.get('host')).toBe(path.join(dir, 'postgres'));
  expect(await serverAddress(embedded.url)).toBeNull();
  const joined = await start(dir);
  expect(joined.url).toBe(embedded.url);
});

it('puts it in /tmp when the data dir is too deep for a socket path', { timeout: 60_000 }, async () => {
  const top = await dataDir();
  const deep = path.join(top, 'd'.repeat(60), 'e'.repeat(30));
  await mkdir(deep, { recursive: true, mode: 0o755 });
  for (let at = deep; at !== top; at = path.dirname(at)) await chmod(at, 0o755); // past the umask
  const embedded = await start(deep);
  expect(new URL(embedded.url).searchParams.get('host')).toBe('/tmp');
  expect(await serverAddress(embedded.url)).toBeNull();
});
