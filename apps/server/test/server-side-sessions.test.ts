import { createToken, revokeToken } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * The session cookie holds a random session id, never the API token; signing out and revoking the
 * token end the session on the server, not only in the browser.
 */
describe('server-side sessions', () => {
  let server: TestServer;
  const origin = { origin: 'http://localhost' };

  beforeAll(async () => {
    server = await testServer({ sessionMs: 60 * 60 * 1000 });
  });
  afterAll(async () => {
    await server.close();
  });

  const signIn = async (token: string, headers: Record<string, string> = {}) => {
    const reply = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json', ...origin, ...headers },
      payload: JSON.stringify({ token }),
    });
    expect(reply.statusCode).toBe(200);
    const setCookie = String(reply.headers['set-cookie']);
    return { setCookie, cookie: setCookie.split(';')[0] as string };
  };
  const whoAmI = (cookie: string) =>
    server.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });

  it('sets a cookie with a random session id, not the token, stored only as its hash', async () => {
    const token = server.auth.authorization.slice('Bearer '.length);
    const { setCookie, cookie } = await signIn(token);
    const value = cookie.slice('glaze_session='.length);
    expect(value).toMatch(/^gls_[A-Za-z0-9_-]{43}$/);
    expect(setCookie).not.toContain(token);
    expect(setCookie).not.toContain(encodeURIComponent(token));
    expect(setCookie).toMatch(/; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const stored = await server.db.pool.query('select session_hash from sessions');
    expect(stored.rows.map((row) => row.session_hash)).not.toContain(value);
    expect((await whoAmI(cookie)).json()).toEqual({ workspace: { id: server.workspaceId, name: 'first' } });
    // The token itself in the cookie (what the old cookie held) is not a session.
    expect((await whoAmI(`glaze_session=${token}`)).statusCode).toBe(401);
  });

  it('DELETE /session ends the session on the server: the old cookie value stops working', async () => {
    const token = server.auth.authorization.slice('Bearer '.length);
    const { cookie } = await signIn(token);
    expect((await whoAmI(cookie)).statusCode).toBe(200);
    const signOut = await server.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie, ...origin },
    });
    expect(signOut.statusCode).toBe(204);
    expect(String(signOut.headers['set-cookie'])).toMatch(/^glaze_session=; .*Max-Age=0/);
    const after = await whoAmI(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/session has ended/);
    // The token itself still works: signing out ends the session, not the token.
    expect((await server.app.inject({ url: '/api/v1/session', headers: server.auth })).statusCode).toBe(200);
  });

  it('revoking the token ends every session signed in with it', async () => {
    const { id, token } = await createToken(server.db.pool, { workspaceId: server.workspaceId, name: 'x' });
    const first = await signIn(token);
    const second = await signIn(token);
    expect((await whoAmI(first.cookie)).statusCode).toBe(200);
    expect(await revokeToken(server.db.pool, id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await whoAmI(first.cookie)).statusCode).toBe(401);
    expect((await whoAmI(second.cookie)).statusCode).toBe(401);
    expect(
      (await server.app.inject({ url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
  });

  it("signing in sweeps the token's ended sessions, so the table holds live ones", async () => {
    const { id, token } = await createToken(server.db.pool, {
      workspaceId: server.workspaceId,
      name: 'sweep',
    });
    const first = await signIn(token);
    const count = async () =>
      (await server.db.pool.query('select count(*)::int as n from sessions where token_id = $1', [id]))
        .rows[0].n;
    expect(await count()).toBe(1);
    // Signing in again from that browser revokes its session; the sweep removes it at once.
    await signIn(token, { cookie: first.cookie });
    expect(await count()).toBe(1);
    await signIn(token);
    expect(await count()).toBe(2);
    expect((await whoAmI(first.cookie)).statusCode).toBe(401);
  });

  it('a session ends when it expires, and never outlives an expiring token', async () => {
    const expiresAt = new Date(Date.now() + 90_000);
    const { token } = await createToken(server.db.pool, {
      workspaceId: server.workspaceId,
      name: 'short',
      expiresAt,
    });
    const { setCookie, cookie } = await signIn(token);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(80);
    expect(maxAge).toBeLessThanOrEqual(90);
    await server.db.pool.query(`update sessions set expires_at = now() - interval '1 second'`);
    await server.db.pool.query('update auth_epoch set version = version + 1');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await whoAmI(cookie)).statusCode).toBe(401);
  });

  it('an expired token neither signs in nor authenticates', async () => {
    const { token } = await createToken(server.db.pool, {
      workspaceId: server.workspaceId,
      name: 'old',
      expiresAt: new Date(Date.now() - 1000),
    });
    const reply = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ token }),
    });
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error).toMatchObject({ code: 'unauthorized', path: 'token' });
  });

  it('marks the cookie Secure when the request came over TLS through a trusted proxy, and only then', async () => {
    const token = server.auth.authorization.slice('Bearer '.length);
    // Not trusted: X-Forwarded-Proto is anyone's to send.
    const plain = await signIn(token, { 'x-forwarded-proto': 'https' });
    expect(plain.setCookie).not.toMatch(/Secure/);
    const proxied = await testServer({ trustProxy: true });
    try {
      const reply = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: {
          'content-type': 'application/json',
          host: 'glaze.example',
          'x-forwarded-proto': 'https',
          origin: 'https://glaze.example',
        },
        payload: JSON.stringify({ token: proxied.auth.authorization.slice('Bearer '.length) }),
      });
      expect(reply.statusCode).toBe(200);
      expect(String(reply.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await proxied.close();
    }
  });
});
