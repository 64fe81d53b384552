import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * With the session cookie, another site's page must not be able to create, import, delete or
 * cancel: every unsafe request authenticated by the cookie needs this server's own Origin.
 */
describe('CSRF: cookie requests need a same-origin Origin', () => {
  let server: TestServer;
  let cookie: string;
  const evil = 'http://evil.example';
  const self = 'http://localhost';

  beforeAll(async () => {
    server = await testServer();
    const token = server.auth.authorization.slice('Bearer '.length);
    const reply = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json', origin: self },
      payload: JSON.stringify({ token }),
    });
    cookie = String(reply.headers['set-cookie']).split(';')[0] as string;
  });
  afterAll(async () => {
    await server.close();
  });

  const newTable = async () =>
    (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/tables/import?name=T',
        headers: { ...server.auth, 'content-type': 'text/csv' },
        payload: 'email\na@b.c\n',
      })
    ).json().table.id as number;

  const startRun = async (tableId: number) => {
    const column = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${tableId}/columns`,
      headers: { ...server.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'm',
        kind: 'enrichment',
        provider: 'mock',
        config: { latencyMs: 5000 },
      }),
    });
    const run = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${tableId}/columns/${column.json().column.id}/runs`,
      headers: { ...server.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ scope: 'all' }),
    });
    return run.json().run.id as number;
  };

  const unsafe = async (tableId: number, runId: number) => [
    {
      method: 'POST' as const,
      url: '/api/v1/tables',
      type: 'application/json',
      payload: JSON.stringify({ name: 'x', columns: ['a'] }),
    },
    { method: 'POST' as const, url: '/api/v1/tables/import?name=x', type: 'text/csv', payload: 'a\n1\n' },
    { method: 'DELETE' as const, url: `/api/v1/tables/${tableId}` },
    { method: 'POST' as const, url: `/api/v1/runs/${runId}/cancel` },
  ];

  it('refuses create, CSV import, delete and cancel from another origin with a 403 naming it', async () => {
    const tableId = await newTable();
    const runId = await startRun(tableId);
    const before = await server.db.pool.query('select count(*)::int as n from tables');
    for (const request of await unsafe(tableId, runId)) {
      const reply = await server.app.inject({
        method: request.method,
        url: request.url,
        headers: { cookie, origin: evil, ...(request.type ? { 'content-type': request.type } : {}) },
        payload: request.payload,
      });
      expect({ url: request.url, status: reply.statusCode }).toEqual({ url: request.url, status: 403 });
      expect(reply.json()).toEqual({
        error: {
          code: 'forbidden',
          message: expect.stringContaining('Origin http://evil.example'),
          path: null,
        },
      });
    }
    const after = await server.db.pool.query('select count(*)::int as n from tables');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const run = await server.app.inject({ url: `/api/v1/runs/${runId}`, headers: server.auth });
    expect(run.json().run.status).not.toBe('cancelled');
  });

  it('refuses a cookie request with neither Origin nor Sec-Fetch-Site, or a cross-site Sec-Fetch-Site', async () => {
    const tableId = await newTable();
    for (const headers of [
      { cookie },
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, origin: 'null' },
    ]) {
      const reply = await server.app.inject({ method: 'DELETE', url: `/api/v1/tables/${tableId}`, headers });
      expect(reply.statusCode).toBe(403);
    }
  });

  it('accepts the same requests from its own origin (Origin or Sec-Fetch-Site: same-origin)', async () => {
    const tableId = await newTable();
    const runId = await startRun(tableId);
    const [create, importCsv, remove, cancel] = await unsafe(tableId, runId);
    const send = (request: NonNullable<typeof create>, extra: Record<string, string>) =>
      server.app.inject({
        method: request.method,
        url: request.url,
        headers: { cookie, ...extra, ...(request.type ? { 'content-type': request.type } : {}) },
        payload: request.payload,
      });
    expect((await send(create as NonNullable<typeof create>, { origin: self })).statusCode).toBe(201);
    expect(
      (await send(importCsv as NonNullable<typeof create>, { 'sec-fetch-site': 'same-origin' })).statusCode,
    ).toBe(201);
    expect((await send(cancel as NonNullable<typeof create>, { origin: self })).statusCode).toBe(200);
    expect((await send(remove as NonNullable<typeof create>, { origin: self })).statusCode).toBe(204);
  });

  it('leaves Bearer requests and safe methods alone, whatever the Origin', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tables',
      headers: { ...server.auth, origin: evil, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'bearer', columns: ['a'] }),
    });
    expect(created.statusCode).toBe(201);
    const list = await server.app.inject({ url: '/api/v1/tables', headers: { cookie, origin: evil } });
    expect(list.statusCode).toBe(200);
  });

  it("refuses a cross-origin sign-in (login CSRF into the attacker's workspace)", async () => {
    const token = server.auth.authorization.slice('Bearer '.length);
    const reply = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json', origin: evil },
      payload: JSON.stringify({ token }),
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });
});
