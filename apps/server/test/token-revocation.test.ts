import { silentLogger } from '@glaze/db';
import { createToken, revokeToken } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from '../src/index';
import { type TestServer, testServer } from './helpers';

/**
 * Two server processes share a database, each with its own 30 s auth cache. A token revoked on
 * one (or by `glaze token revoke`) stops working on both within a second, cookie sessions included.
 */
describe('token revocation across servers', () => {
  let server: TestServer;
  let other: FastifyInstance;
  let otherUrl: string;

  beforeAll(async () => {
    server = await testServer();
    other = await createServer({
      pool: server.db.pool,
      providers: builtinProviders,
      hub: server.hub,
      logger: silentLogger,
      webDir: null,
    });
    // The second server over a real socket, as a browser or curl reaches it.
    otherUrl = await other.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await other.close();
    await server.close();
  });

  it('a revoked token and its session stop working on every server within 1 s', async () => {
    const { id, token } = await createToken(server.db.pool, { workspaceId: server.workspaceId, name: 'r' });
    const bearer = { authorization: `Bearer ${token}` };
    const signIn = await fetch(`${otherUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: otherUrl },
      body: JSON.stringify({ token }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const viaSocket = (headers: Record<string, string>) =>
      fetch(`${otherUrl}/api/v1/tables`, { headers }).then((reply) => reply.status);
    const inProcess = async () =>
      (await server.app.inject({ url: '/api/v1/tables', headers: bearer })).statusCode;
    // Warm both caches: from here on neither process looks the token up again for 30 s.
    expect([await inProcess(), await viaSocket(bearer), await viaSocket({ cookie })]).toEqual([
      200, 200, 200,
    ]);

    const revokedAt = Date.now();
    expect(await revokeToken(server.db.pool, id)).toBe(true);
    const statuses = async () => [await inProcess(), await viaSocket(bearer), await viaSocket({ cookie })];
    let seen = await statuses();
    while (seen.some((status) => status !== 401) && Date.now() - revokedAt < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await statuses();
    }
    expect(seen).toEqual([401, 401, 401]);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('a warm cache costs at most one shared epoch read per 500 ms, not a query per request', async () => {
    await server.app.inject({ url: '/api/v1/session', headers: server.auth });
    const query = vi.spyOn(server.db.pool, 'query');
    try {
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => server.app.inject({ url: '/api/v1/session', headers: server.auth })),
      );
      expect(replies.every((reply) => reply.statusCode === 200)).toBe(true);
      expect(query.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      query.mockRestore();
    }
  });

  it('an unrelated revocation does not log anyone else out', async () => {
    const { id } = await createToken(server.db.pool, { workspaceId: server.workspaceId, name: 'other' });
    await revokeToken(server.db.pool, id);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await server.app.inject({ url: '/api/v1/tables', headers: server.auth })).statusCode).toBe(200);
  });
});
