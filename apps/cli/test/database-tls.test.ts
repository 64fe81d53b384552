import { execFileSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@glaze/db';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGlaze } from './support/glaze-process';

/**
 * A database URL with `sslmode` means what it means to psql (libpq): a host's connection string
 * with `sslmode=require` and a certificate of the host's own CA works as it is; `verify-full`
 * checks the certificate, against `sslrootcert` when given; a certificate that is not trusted, or
 * a server without TLS, fails at boot naming the variable and what to change.
 * The server's certificate (fixtures/tls, a test-only key) is self-signed for IP 127.0.0.1.
 */
const fixtures = path.join(import.meta.dirname, 'fixtures', 'tls');
let cluster: StoppableCluster;
let dir: string;
let tlsOn = false;
beforeAll(async () => {
  cluster = await startStoppableCluster();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-tls-'));
  await chmod(dir, 0o755);
}, 60_000);
afterAll(async () => {
  await cluster.close();
  await rm(dir, { recursive: true, force: true });
});

/** Turns TLS on (a reload): the key is readable by the user Postgres runs as, and by it alone. */
async function enableTls(): Promise<void> {
  if (tlsOn) return;
  const key = path.join(dir, 'server.key');
  await copyFile(path.join(fixtures, 'server.key'), key);
  await copyFile(path.join(fixtures, 'server.crt'), path.join(dir, 'server.crt'));
  await chmod(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    await chown(key, uid, gid);
  }
  const admin = createPool({ connectionString: cluster.url, max: 1 });
  try {
    await admin.query(`alter system set ssl_cert_file = '${path.join(dir, 'server.crt')}'`);
    await admin.query(`alter system set ssl_key_file = '${key}'`);
    await admin.query('alter system set ssl = on');
    await admin.query('select pg_reload_conf()');
    await expect
      .poll(async () => (await admin.query(`select current_setting('ssl') as ssl`)).rows[0].ssl)
      .toBe('on');
  } finally {
    await admin.end();
  }
  tlsOn = true;
}

const migrate = (query: string) =>
  runGlaze(['migrate'], {
    DATABASE_URL: `${cluster.url}?${query}`,
    GLAZE_DATA_DIR: path.join(dir, '.glaze'),
  });

describe('DATABASE_URL with sslmode', () => {
  it('sslmode=require against a server without TLS fails naming the variable and the fix', async () => {
    const result = await migrate('sslmode=require');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DATABASE_URL: cannot reach the database');
    expect(result.stderr).toContain('does not support SSL');
    expect(result.stderr).toContain('sslmode=disable');
  }, 60_000);

  it('sslmode=require encrypts without checking the certificate, as psql does', async () => {
    await enableTls();
    const result = await migrate('sslmode=require');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/migrations applied/);
    // node-postgres's warning about its own reading of the modes is not printed
    expect(result.stderr).not.toContain('SECURITY WARNING');
  }, 60_000);

  it('sslmode=verify-full refuses a certificate it cannot trust, naming sslrootcert', async () => {
    await enableTls();
    const result = await migrate('sslmode=verify-full');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DATABASE_URL: cannot reach the database');
    expect(result.stderr).toContain('sslrootcert=');
  }, 60_000);

  it('sslmode=verify-full with sslrootcert checks the certificate against that CA and connects', async () => {
    await enableTls();
    const result = await migrate(`sslmode=verify-full&sslrootcert=${path.join(fixtures, 'server.crt')}`);
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);
});
