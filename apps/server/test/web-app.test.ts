import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@glaze/db';
import { builtinProviders } from '@glaze/providers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
let web: FastifyInstance;
let dir: string;
beforeAll(async () => {
  server = await testServer();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-web-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Glaze</title>');
  await writeFile(path.join(dir, 'app.js'), 'console.log("glaze")');
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'assets', 'index-3f9a1c.js'), 'console.log("hashed")');
  web = await createServer({
    pool: server.db.pool,
    providers: builtinProviders,
    hub: server.hub,
    logger: silentLogger,
    webDir: dir,
  });
});
afterAll(async () => {
  await web.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the web app', () => {
  it('is served at / with files as they are and index.html for client-side routes', async () => {
    const root = await web.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>Glaze</title>');
    const script = await web.inject({ method: 'GET', url: '/app.js' });
    expect(script.headers['content-type']).toMatch(/javascript/);
    const route = await web.inject({ method: 'GET', url: '/tables/12?view=grid' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<title>Glaze</title>');
  });

  it('has index.html revalidated and keeps content-hashed assets for good', async () => {
    const root = await web.inject({ method: 'GET', url: '/' });
    expect(root.headers['cache-control']).toBe('no-cache');
    const asset = await web.inject({ method: 'GET', url: '/assets/index-3f9a1c.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never answers an API path with the page', async () => {
    const missing = await web.inject({ method: 'GET', url: '/api/v1/nothing', headers: server.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const post = await web.inject({ method: 'POST', url: '/somewhere' });
    expect(post.statusCode).toBe(404);
  });

  it('is not served when there is no build', async () => {
    const root = await server.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(404);
  });
});
