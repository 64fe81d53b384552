import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProviderRegistry } from '@glaze/providers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/** POST /tables/:id/columns/preview: a config tried on the first 5 rows, nothing written. */
let server: TestServer;
let tableId: number;
/** Answers with the Authorization header it was sent: a preview must not show it. */
let echo: Server;
let echoUrl: string;
const secret = 'sk-preview-4f1c9a77e0';
beforeAll(async () => {
  echo = createHttpServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sent: request.headers.authorization ?? null }));
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/who`;
  server = await testServer({
    providers: createProviderRegistry({ httpAllow: ['127.0.0.1'] }),
    secretKey: randomBytes(32),
  });
  await call('PUT', '/secrets/API_KEY', { value: secret });
  const created = await call('POST', '/tables', { name: 'Leads', columns: ['Name', 'Email'] });
  tableId = created.body.table.id;
  await call('POST', `/tables/${tableId}/rows`, {
    rows: [
      { Name: 'Ada', Email: 'ada@example.com' },
      { Name: 'Bo', Email: 'not an email' },
      { Name: 'Cy', Email: '' },
      ...Array.from({ length: 20 }, (_, i) => ({ Name: `P${i}`, Email: `p${i}@example.com` })),
    ],
  });
});
afterAll(async () => {
  await server.close();
  echo.close();
});

async function call(method: 'POST' | 'GET' | 'PUT', url: string, payload?: object) {
  const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: server.auth, payload });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

async function countWrites() {
  const { rows } = await server.db.pool.query(
    'select (select count(*) from cells)::int as cells, (select count(*) from runs)::int as runs, (select count(*) from columns)::int as columns',
  );
  return rows[0];
}

it('answers what the first 5 cells would hold, in row order, and writes nothing', async () => {
  const before = await countWrites();
  const preview = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'email',
    config: { input: '{{Email}}' },
  });
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  const cells = preview.body.cells;
  expect(cells).toHaveLength(5);
  expect(cells[0]).toMatchObject({ status: 'done', value: { valid: true, email: 'ada@example.com' } });
  expect(cells[1]).toMatchObject({ status: 'done', value: { valid: false } });
  // a blank input is skipped, as a run would skip it
  expect(cells[2]).toMatchObject({ status: 'skipped', error: 'no input: Email is empty' });
  expect(await countWrites()).toEqual(before);
});

it('previews a formula and a failing mock: errors are values, not a failed request', async () => {
  const formula = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'formula',
    config: { expression: 'Name + "!"' },
  });
  expect(formula.body.cells.map((c: { value: unknown }) => c.value)).toEqual([
    'Ada!',
    'Bo!',
    'Cy!',
    'P0!',
    'P1!',
  ]);
  const failing = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'mock',
    config: { input: '{{Name}}', failRate: 1 },
  });
  expect(failing.status).toBe(200);
  expect(failing.body.cells[0]).toMatchObject({
    status: 'error',
    error: 'mock: input "Ada" is configured to fail',
  });
});

it('refuses a bad config with a plain message naming the field', async () => {
  const bad = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'mock',
    config: { latencyMs: 'slow' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toEqual({
    code: 'validation_failed',
    message: 'Latency ms must be a number',
    path: 'config.latencyMs',
  });
  const empty = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'waterfall',
    config: { steps: [] },
  });
  expect(empty.body.error).toMatchObject({
    path: 'config.steps',
    message: 'Steps must have at least 1 step',
  });
  const step = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'waterfall',
    config: { steps: [{ provider: 'mock' }, { provider: 'mock', config: { latencyMs: -1 } }] },
  });
  expect(step.body.error).toMatchObject({
    path: 'config.steps[1].config.latencyMs',
    message: 'Step 2 latency ms must be at least 0',
  });
  const noProvider = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'waterfall',
    config: { steps: [{ provider: '' }] },
  });
  expect(noProvider.body.error).toMatchObject({
    path: 'config.steps[0].provider',
    message: 'Step 1 provider is required',
  });
});

it('an empty table previews nothing', async () => {
  const created = await call('POST', '/tables', { name: 'Empty', columns: ['Email'] });
  const preview = await call('POST', `/tables/${created.body.table.id}/columns/preview`, {
    provider: 'email',
    config: { input: '{{Email}}' },
  });
  expect(preview.body).toEqual({ cells: [] });
});

it('uses a secret only where its provider allows, and never shows it', async () => {
  const preview = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'http',
    config: { url: `${echoUrl}?name={{Name}}`, headers: { Authorization: 'Bearer {{secret.API_KEY}}' } },
  });
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  expect(preview.body.cells[0].status).toBe('done');
  // the endpoint got the key, the preview shows it redacted
  expect(JSON.stringify(preview.body)).not.toContain(secret);
  expect(JSON.stringify(preview.body.cells[0].value)).toContain('Bearer');
  const misplaced = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'http',
    config: { url: `${echoUrl}?key={{secret.API_KEY}}` },
  });
  expect(misplaced.status).toBe(400);
  expect(misplaced.body.error.path).toBe('config.url');
});

it("waits for the provider's rate limit as a worker would: one call at a time with concurrency 1", async () => {
  // waterfall: a provider no preview here has called, so no limit read earlier is still trusted (2 s)
  const limited = await call('PUT', '/providers/waterfall/limits', { concurrency: 1 });
  expect(limited.status).toBe(200);
  const preview = await call('POST', `/tables/${tableId}/columns/preview`, {
    provider: 'waterfall',
    config: { steps: [{ provider: 'mock', config: { input: '{{Name}}', latencyMs: 300 } }] },
  });
  expect(preview.body.cells.map((c: { status: string }) => c.status)).toEqual(Array(5).fill('done'));
  // one call in flight at a time: the last of five waited for the four before it (a lower bound,
  // so a slow machine cannot break it; in parallel every cell takes about 300 ms)
  const slowest = Math.max(...preview.body.cells.map((c: { ms: number }) => c.ms));
  expect(slowest).toBeGreaterThanOrEqual(4 * 300);
  await call('PUT', '/providers/waterfall/limits', { concurrency: null });
});
