import { randomBytes } from 'node:crypto';
import { silentLogger } from '@glaze/db';
import { createSecretsLoader, setSecret } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer } from '../src/index';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const key = randomBytes(32);

/** The real server on the same database, given a secret key as `glaze start` gives it one. */
function appWithKey() {
  return createServer({
    pool: server.db.pool,
    providers: builtinProviders,
    hub: server.hub,
    logger: silentLogger,
    webDir: null,
    secretKey: key,
  });
}

it('PUT stores a secret (204), GET lists names and times only, DELETE removes it', async () => {
  const app = await appWithKey();
  const inject = (request: { method: 'PUT' | 'GET' | 'DELETE'; url: string; payload?: object }) =>
    app.inject({ ...request, headers: server.auth });
  try {
    const put = await inject({
      method: 'PUT',
      url: '/api/v1/secrets/API_KEY',
      payload: { value: 'sk-route-secret-1' },
    });
    expect(put.statusCode).toBe(204);
    expect(put.body).toBe('');
    const list = await inject({ method: 'GET', url: '/api/v1/secrets' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ secrets: [{ name: 'API_KEY', updatedAt: expect.any(String) }] });
    expect(list.body).not.toContain('sk-route-secret-1');
    // the worker reads what the route stored
    const { rows: table } = await server.db.pool.query(
      `insert into tables (workspace_id, name) values ($1, 't') returning id`,
      [server.workspaceId],
    );
    expect(await createSecretsLoader(server.db.pool, key)(table[0].id)).toEqual({
      API_KEY: 'sk-route-secret-1',
    });

    const bad = await inject({ method: 'PUT', url: '/api/v1/secrets/9lives', payload: { value: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed', path: 'name' });
    const empty = await inject({ method: 'PUT', url: '/api/v1/secrets/OK', payload: { value: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.path).toBe('value');

    expect((await inject({ method: 'DELETE', url: '/api/v1/secrets/API_KEY' })).statusCode).toBe(204);
    expect((await inject({ method: 'DELETE', url: '/api/v1/secrets/API_KEY' })).statusCode).toBe(404);
  } finally {
    await app.close();
  }
});

it('the real server lists and deletes only its workspace secrets, and refuses PUT without a key', async () => {
  const other = await server.newWorkspace('other');
  await setSecret(server.db.pool, key, { workspaceId: server.workspaceId, name: 'MINE', value: 'v-mine' });
  await setSecret(server.db.pool, key, { workspaceId: other.id, name: 'THEIRS', value: 'v-theirs' });
  const list = await server.app.inject({ method: 'GET', url: '/api/v1/secrets', headers: server.auth });
  expect(list.statusCode).toBe(200);
  expect(list.json().secrets.map((s: { name: string }) => s.name)).toEqual(['MINE']);
  const cross = await server.app.inject({
    method: 'DELETE',
    url: '/api/v1/secrets/THEIRS',
    headers: server.auth,
  });
  expect(cross.statusCode).toBe(404);
  const put = await server.app.inject({
    method: 'PUT',
    url: '/api/v1/secrets/NEW',
    headers: server.auth,
    payload: { value: 'v' },
  });
  expect(put.statusCode).toBe(500);
  expect(put.json().error.message).toMatch(/no secret key: set GLAZE_SECRET_KEY/);
  const anonymous = await server.app.inject({ method: 'GET', url: '/api/v1/secrets' });
  expect(anonymous.statusCode).toBe(401);
});
