import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, firstClosedDirectory, startEmbeddedPostgres } from '../src/index';

const asRoot = process.getuid?.() === 0;
const made: string[] = [];

/** A `mktemp -d` directory: mode 0700, owned by whoever runs the tests. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-data-dir-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('firstClosedDirectory', () => {
  it('names the first directory on the way whose x bit is missing for the class the user falls in', async () => {
    const top = await tempDir();
    const inner = path.join(top, 'a', 'b');
    await mkdir(inner, { recursive: true, mode: 0o755 });
    const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    const stranger = { uid: me.uid + 54_321, gid: me.gid + 54_321 };

    expect(await firstClosedDirectory(inner, me)).toBeUndefined();
    expect(await firstClosedDirectory(inner, stranger)).toEqual({
      directory: top,
      mode: 0o700,
      owner: me.uid,
    });
    await chmod(top, 0o701); // search only: what Glaze adds to a data dir of its own user
    expect(await firstClosedDirectory(inner, stranger)).toBeUndefined();
    await chmod(top, 0o710); // the owning group may pass, others may not
    expect(await firstClosedDirectory(inner, { uid: stranger.uid, gid: me.gid })).toBeUndefined();
    expect(await firstClosedDirectory(inner, stranger)).toMatchObject({ directory: top, mode: 0o710 });
    // What does not exist yet is created later with a mode of Glaze's choosing.
    await chmod(top, 0o701);
    expect(await firstClosedDirectory(path.join(inner, 'not-yet', 'x'), stranger)).toBeUndefined();
  });
});

describe.skipIf(!asRoot)(
  asRoot
    ? 'embedded Postgres as root'
    : 'embedded Postgres as root (skipped: the tests are not running as root)',
  () => {
    it('a `mktemp -d` data dir (0700) gains o+x only, with a log line; the cluster belongs to postgres', async () => {
      const dataDir = await tempDir();
      const said: string[] = [];
      const logger = createLogger('info', { write: (line: string) => said.push(JSON.parse(line).msg) });
      const embedded = await startEmbeddedPostgres({
        dataDir,
        database: 'postgres',
        settings: { fsync: 'off', synchronous_commit: 'off' },
        logger,
      });
      try {
        const client = new pg.Client({ connectionString: embedded.url });
        await client.connect();
        const { rows } = await client.query('select 1 as answer');
        await client.end();
        expect(rows).toEqual([{ answer: 1 }]);
      } finally {
        await embedded.stop();
      }
      expect((await stat(dataDir)).mode & 0o777).toBe(0o701);
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      expect((await stat(path.join(dataDir, 'postgres'))).uid).toBe(postgresUid);
      expect(said).toEqual([expect.stringContaining(`added o+x to ${dataDir} (search only, not read)`)]);
    }, 120_000);

    it('a parent postgres cannot enter fails before initdb, in one line naming it and the fix', async () => {
      const parent = await tempDir();
      const dataDir = path.join(parent, 'data');
      const error = await startEmbeddedPostgres({ dataDir }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`GLAZE_DATA_DIR ${dataDir}: the OS user "postgres" cannot enter ${parent}`);
      expect(message).toContain('(mode 0700, owner root)');
      expect(message).toContain(`fix: chmod o+x ${parent}, or set GLAZE_DATA_DIR`);
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      expect((await stat(parent)).mode & 0o777).toBe(0o700); // an ancestor is not Glaze's to change
    });
  },
);
