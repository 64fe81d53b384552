import { silentLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import { bootstrapWorkspace, FeedHub } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer } from '../src/index';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'), inject('templateName'));
});
afterAll(() => db.drop());

describe('first start', () => {
  it('creates one workspace with the chosen admin token, stored hashed, and only once', async () => {
    const chosen = 'admin-token-from-the-environment';
    const [first, second] = await Promise.all([
      bootstrapWorkspace(db.pool, { token: chosen }),
      bootstrapWorkspace(db.pool, { token: chosen }),
    ]);
    const created = first ?? second;
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(created).toMatchObject({ workspace: { name: 'default' }, token: chosen });
    expect(await bootstrapWorkspace(db.pool)).toBeUndefined();
    const { rows } = await db.pool.query('select token_hash from api_tokens');
    expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(JSON.stringify(rows)).not.toContain(chosen);

    const hub = await FeedHub.start({ pool: db.pool, logger: silentLogger, mode: 'poll' });
    const app = await createServer({
      pool: db.pool,
      providers: builtinProviders,
      hub,
      logger: silentLogger,
      webDir: null,
    });
    const session = await app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${chosen}` },
    });
    expect(session.json()).toEqual({ workspace: created?.workspace });
    await app.close();
    await hub.close();
  });

  it('generates a random token when none is chosen', async () => {
    await db.pool.query('delete from workspaces');
    const created = await bootstrapWorkspace(db.pool);
    expect(created?.token).toMatch(/^glz_[\w-]{43}$/);
  });
});
