import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@glaze/db';
import { builtinProviders } from '@glaze/providers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index';
import { openEvents, type TestServer, testServer } from './helpers';

const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** CSP (own scripts only, no framing), nosniff and Referrer-Policy on pages, API replies and errors. */
describe('security headers', () => {
  let server: TestServer;
  let web: FastifyInstance;

  beforeAll(async () => {
    server = await testServer();
    web = await createServer({
      pool: server.db.pool,
      providers: builtinProviders,
      hub: server.hub,
      logger: silentLogger,
      // The built web app when there is one (npm run build), else an index of our own.
      webDir: existsSync(`${webDist}index.html`) ? webDist : fileURLToPath(new URL('./', import.meta.url)),
    });
  });
  afterAll(async () => {
    await web.close();
    await server.close();
  });

  const expectHeaders = (headers: Record<string, unknown>) => {
    const csp = String(headers['content-security-policy']);
    const directives = Object.fromEntries(
      csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
      'style-src': "'self' 'unsafe-inline'",
    });
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
  };

  it('are on the web app, an API reply, an auth failure and an unknown route', async () => {
    const page = await web.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expectHeaders(page.headers);
    expectHeaders((await web.inject({ url: '/api/v1/session', headers: server.auth })).headers);
    expectHeaders((await web.inject({ url: '/api/v1/tables' })).headers);
    expectHeaders((await web.inject({ url: '/api/v1/nope', headers: server.auth })).headers);
  });

  it('are on the event stream, which writes its own headers', async () => {
    const imported = await web.inject({
      method: 'POST',
      url: '/api/v1/tables/import?name=Headers',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: 'email\nada@example.com\n',
    });
    expect(imported.statusCode).toBe(201);
    const address = await web.listen({ host: '127.0.0.1', port: 0 });
    const events = await openEvents(
      `${address}/api/v1/tables/${imported.json().table.id}/events`,
      server.auth,
    );
    try {
      expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expectHeaders(Object.fromEntries(events.response.headers));
    } finally {
      events.close();
    }
  });

  it.runIf(existsSync(`${webDist}index.html`))(
    'the built web app has no inline script the CSP would block',
    async () => {
      const html = await readFile(`${webDist}index.html`, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="\//);
        expect(body?.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+=/i);
    },
  );
});
