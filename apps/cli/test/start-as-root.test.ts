import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGlaze } from './support/glaze-process';

const asRoot = process.getuid?.() === 0;
let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'glaze-root-')); // 0700, like /root
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe.skipIf(!asRoot)(
  asRoot ? 'glaze start as root' : 'glaze start as root (skipped: the tests are not running as root)',
  () => {
    it('a data dir under a directory postgres cannot enter: one line, exit 1, no initdb', async () => {
      const dataDir = path.join(parent, '.glaze');
      // No DATABASE_URL: the README's start, with the embedded Postgres.
      const result = await runGlaze(['start', '--port', '0'], { GLAZE_DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `glaze: GLAZE_DATA_DIR ${dataDir}: the OS user "postgres" cannot enter ${parent} (mode 0700, owner root), ` +
          'and the embedded Postgres runs as that user when Glaze runs as root; ' +
          `fix: chmod o+x ${parent}, or set GLAZE_DATA_DIR to a directory postgres can enter\n`,
      );
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      // The key was made before the database, in a data dir the postgres user may pass through.
      expect((await stat(path.join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o711);
    });
  },
);
