import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConfigError, silentLogger, startEmbeddedPostgres } from '../src/index';

/**
 * A data directory made by another major version of Postgres (a Glaze that shipped another one)
 * cannot be opened by this one: boot says so in one line naming GLAZE_DATA_DIR, what Postgres said
 * (this start's lines only) and what to do, not a stack trace.
 */
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('a data directory of another major version: one line naming GLAZE_DATA_DIR and what to do', {
  timeout: 60_000,
}, async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-other-major-'));
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger });
  await embedded.stop();
  // what Postgres checks first: the major version the directory was made by
  const versionFile = path.join(dir, 'postgres', 'PG_VERSION');
  const major = Number(readFileSync(versionFile, 'utf8'));
  writeFileSync(versionFile, `${major - 1}\n`);
  for (const attempt of [1, 2]) {
    const error = await startEmbeddedPostgres({ dataDir: dir, logger: silentLogger }).then(
      async (started) => {
        await started.stop();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error, `attempt ${attempt}`).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^GLAZE_DATA_DIR: the embedded Postgres in .* exited with code 1 while starting/);
    expect(message).toContain(`initialized by PostgreSQL version ${major - 1}`);
    expect(message).toContain('set GLAZE_DATA_DIR to a new directory');
    // this start's lines, not the earlier start's too
    expect(message.match(/incompatible with server/g)).toHaveLength(1);
  }
});
