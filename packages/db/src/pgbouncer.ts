import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Debian's pgbouncer, if installed (`apt-get install pgbouncer`; `.ci/run` installs it). */
export const pgbouncerBinary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'].find(
  (file) => existsSync(file),
);

export interface Pgbouncer {
  /** The database's URL through the pooler (same user and password). */
  url: string;
  /** What pgbouncer printed, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/**
 * A real pgbouncer in `pool_mode = transaction` with its default settings otherwise (it refuses
 * startup `options`, hands each transaction to whichever server connection is free, never delivers a
 * NOTIFY to a LISTENing client) in front of one database of `serverUrl`'s server. As root it drops to
 * the `postgres` OS user, since pgbouncer refuses to run as root. Throws when pgbouncer is not
 * installed: check `pgbouncerBinary` first.
 * @example const bouncer = await startPgbouncer(adminUrl, 'glaze'); … await bouncer.close();
 */
export async function startPgbouncer(
  serverUrl: string,
  database: string,
  /** More `[pgbouncer]` settings, e.g. `{ max_client_conn: '4' }`. */
  settings: Record<string, string> = {},
): Promise<Pgbouncer> {
  if (!pgbouncerBinary) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-pgbouncer-'));
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  // A trusting server needs no password; pgbouncer still asks the client for the userlist's one and
  // answers the server with it (the embedded cluster wants its own).
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
      ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`),
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    for (const file of ['', 'users.txt', 'pgbouncer.ini']) await chown(path.join(dir, file), uid, uid);
  }
  const child: ChildProcess = spawn(
    pgbouncerBinary,
    [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = new URL(`postgres://127.0.0.1:${port}/${database}`);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForConnection(url.toString(), () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: url.toString(), log: () => output, close };
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

async function waitForConnection(url: string, log: () => string): Promise<void> {
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
        throw new Error(`pgbouncer did not come up: ${(error as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
