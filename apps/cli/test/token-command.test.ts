import type { TestDatabase } from '@glaze/db/testing';
import { createWorkspace, findToken } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  db = await testDatabase();
  await createWorkspace(db.pool, 'acme');
  env = { DATABASE_URL: db.url };
});
afterAll(async () => {
  await db.drop();
});

describe('glaze token', () => {
  it('creates a token that expires, lists it without the secret, and revokes it', async () => {
    const created = await runGlaze(
      ['token', 'create', '--workspace', 'acme', '--name', 'ci', '--expires', '30d'],
      env,
    );
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^glz_/);
    const id = Number(/Token (\d+) /.exec(created.stderr)?.[1]);
    const owner = await findToken(db.pool, token);
    expect(owner?.workspace.name).toBe('acme');
    const days = ((owner?.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const listed = await runGlaze(['token', 'list', '--workspace', 'acme'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token);
    const row = listed.stdout.split('\n').find((line) => line.startsWith(`${id} `));
    expect(row).toMatch(/acme\s+ci\s+.*active$/);

    const revoked = await runGlaze(['token', 'revoke', String(id)], env);
    expect(revoked.code).toBe(0);
    expect(await findToken(db.pool, token)).toBeUndefined();
    const after = await runGlaze(['token', 'list'], env);
    expect(after.stdout.split('\n').find((line) => line.startsWith(`${id} `))).toMatch(/revoked$/);
  });

  it('refuses a bad duration, an unknown id and an unknown action, naming what was wrong', async () => {
    const bad = await runGlaze(['token', 'create', '--workspace', 'acme', '--expires', 'soon'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--expires: expected a duration like 30d, 12h or 90m, got "soon"/);
    const missing = await runGlaze(['token', 'revoke', '999999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/revoke: no token 999999/);
    const unknown = await runGlaze(['token', 'rotate'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/expected "token create", "token list" or "token revoke <id>"/);
  });
});
