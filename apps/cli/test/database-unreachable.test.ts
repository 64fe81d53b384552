import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

let db: TestDatabase;
let dir: string;
let closedUrl: string;
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-unreachable-'));
  // A port nothing listens on: bound, then released.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  closedUrl = `postgres://glaze:secret@127.0.0.1:${port}/glaze`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('a database URL that cannot be reached fails at boot in one line naming the variable', () => {
  it('WORKER_DATABASE_URL', async () => {
    const result = await runGlaze(['start', '--port', '0'], {
      DATABASE_URL: db.url,
      WORKER_DATABASE_URL: closedUrl,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    expect(result.code).toBe(1);
    const port = new URL(closedUrl).port;
    expect(result.stderr).toBe(
      `glaze: WORKER_DATABASE_URL: cannot reach the database at postgres://glaze:***@127.0.0.1:${port}/glaze: ` +
        `connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it('a URL with no user, where no USER variable is set (a container): says to put one in the URL', async () => {
    const anonymous = new URL(db.url);
    anonymous.username = '';
    anonymous.password = '';
    // the child's environment has no USER (support/glaze-process.ts passes PATH and HOME)
    const result = await runGlaze(['migrate'], {
      DATABASE_URL: anonymous.toString(),
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^glaze: DATABASE_URL: cannot reach the database at .*no PostgreSQL user name/,
    );
    expect(result.stderr).toContain('put one in the URL, postgres://user@host/db');
  });

  it('DATABASE_URL, for glaze worker too', async () => {
    const result = await runGlaze(['worker'], {
      DATABASE_URL: closedUrl,
      GLAZE_DATA_DIR: path.join(dir, '.glaze'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^glaze: DATABASE_URL: cannot reach the database at postgres:\/\/glaze:\*\*\*@/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
