import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestServer, testServer } from './helpers';

/** Guessing tokens: after 5 failures in the window an address gets 429s that cost no database query. */
describe('failed-auth rate limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await testServer({ failedAuth: { maxFailures: 5, windowMs: 60_000 }, trustProxy: true });
  });
  afterAll(async () => {
    await server.close();
  });

  const guess = (address: string, n: number) =>
    server.app.inject({
      url: '/api/v1/tables',
      headers: { authorization: `Bearer glz_guess_${n}_${'x'.repeat(20)}`, 'x-forwarded-for': address },
    });

  it('answers 429 with Retry-After in the error shape once an address used up its failures', async () => {
    for (let n = 0; n < 5; n++) expect((await guess('203.0.113.7', n)).statusCode).toBe(401);
    // A limited guess never reaches the database: that is what the limit protects.
    const query = vi.spyOn(server.db.pool, 'query');
    const limited = await guess('203.0.113.7', 6);
    expect(query).not.toHaveBeenCalled();
    query.mockRestore();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringMatching(/too many failed/), path: null },
    });
    // Sign-in with a wrong token from that address is limited too.
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      payload: JSON.stringify({ token: 'glz_wrong_token_000000' }),
    });
    expect(signIn.statusCode).toBe(429);
    // Another address is not affected.
    expect((await guess('198.51.100.1', 0)).statusCode).toBe(401);
  });

  it('never counts successful requests, and lets a credential it already knows through a blocked address', async () => {
    for (let n = 0; n < 50; n++) {
      const ok = await server.app.inject({
        url: '/api/v1/tables',
        headers: { ...server.auth, 'x-forwarded-for': '192.0.2.10' },
      });
      expect(ok.statusCode).toBe(200);
    }
    for (let n = 0; n < 5; n++) await guess('192.0.2.10', n);
    expect((await guess('192.0.2.10', 99)).statusCode).toBe(429);
    const known = await server.app.inject({
      url: '/api/v1/tables',
      headers: { ...server.auth, 'x-forwarded-for': '192.0.2.10' },
    });
    expect(known.statusCode).toBe(200);
  });
});
