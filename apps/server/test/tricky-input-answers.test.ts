import { randomBytes } from 'node:crypto';
import { setSecret } from '@glaze/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/** What the API answers for the tricky inputs of issue 17, through the routes a person uses. */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const call = async (method: 'POST' | 'GET', url: string, body?: unknown) => {
  const response = await server.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...server.auth, 'content-type': 'application/json' },
    payload: JSON.stringify(body ?? {}),
  });
  return { status: response.statusCode, body: response.json() };
};

it('refuses a column whose header names a secret the workspace lacks, listing its secrets', async () => {
  await setSecret(server.db.pool, randomBytes(32), {
    workspaceId: server.workspaceId,
    name: 'API_KEY',
    value: 'x',
  });
  const { body } = await call('POST', '/tables', { name: 'Leads', columns: ['domain'] });
  const refused = await call('POST', `/tables/${body.table.id}/columns`, {
    name: 'Company',
    kind: 'enrichment',
    provider: 'http',
    config: {
      url: 'https://api.example.com/?d={{domain}}',
      headers: { Authorization: 'Bearer {{secret.NOPE}}' },
    },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatchObject({
    code: 'validation_failed',
    path: 'config.headers.Authorization',
    message: expect.stringContaining(
      '{{secret.NOPE}} is not a secret of this workspace; its secrets: API_KEY',
    ),
  });
});

it('answers 404 naming row ids of another table instead of starting an empty run', async () => {
  const a = (await call('POST', '/tables', { name: 'A', columns: ['input'] })).body.table;
  const b = (await call('POST', '/tables', { name: 'B', columns: ['input'] })).body.table;
  const { ids } = (await call('POST', `/tables/${b.id}/rows`, { rows: [{ input: 'x' }, { input: 'y' }] }))
    .body;
  const { column } = (
    await call('POST', `/tables/${a.id}/columns`, {
      name: 'm',
      kind: 'enrichment',
      provider: 'mock',
      config: {},
    })
  ).body;
  const started = await call('POST', `/tables/${a.id}/columns/${column.id}/runs`, { scope: { rowIds: ids } });
  expect(started.status).toBe(404);
  expect(started.body.error).toMatchObject({
    code: 'not_found',
    path: 'scope.rowIds',
    message: expect.stringContaining(`rows ${ids.join(', ')} are not rows of table ${a.id}`),
  });
  expect((await call('GET', `/tables/${a.id}/runs`)).body.runs).toEqual([]);
});
