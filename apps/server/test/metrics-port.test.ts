import { Writable } from 'node:stream';
import { createLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import { createToken, createWorkspace } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { loadServerConfig, type RunningServer, startServer } from '../src/index';
import { openEvents } from './helpers';

let db: TestDatabase;
let running: RunningServer;
let auth: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'), inject('templateName'));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  running = await startServer({
    // port 0: the test takes any free one (the variable itself asks for 1–65535)
    // one event stream at most: a second is refused, and counted
    server: {
      ...loadServerConfig({ PORT: '0', GLAZE_MAX_STREAMS: '1' }),
      metrics: { port: 0, host: '127.0.0.1' },
    },
    pool: db.pool,
    providers: builtinProviders,
    logger: createLogger('info', quiet),
    worker: true,
  });
  const workspace = await createWorkspace(db.pool, 'metrics');
  const { token } = await createToken(db.pool, { workspaceId: workspace.id, name: 'test' });
  auth = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  await running?.close();
  await db?.drop();
});

async function scrape(): Promise<string> {
  const response = await fetch(running.metricsUrl as string);
  expect(response.status).toBe(200);
  return response.text();
}

const value = (text: string, line: RegExp) => Number(text.match(line)?.[1]);

it('glaze start with GLAZE_METRICS_PORT serves the server side too: event streams, bytes, cells of its worker', async () => {
  expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  const api = `${running.url}/api/v1`;
  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  const { table } = await post('/tables', { name: 'Leads', columns: ['name'] });
  await post(`/tables/${table.id}/rows`, { rows: [{ name: 'Ada' }, { name: 'Linus' }] });
  const { column } = await post(`/tables/${table.id}/columns`, {
    name: 'Echo',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{name}}' },
  });
  const events = await openEvents(`${api}/tables/${table.id}/events`, auth);
  await expect.poll(async () => value(await scrape(), /^glaze_sse_clients\{role="server"\} (\d+)/m)).toBe(1);
  const second = await fetch(`${api}/tables/${table.id}/events`, { headers: auth });
  expect(second.status).toBe(503);
  expect(second.headers.get('retry-after')).toBe('5');
  expect((await second.json()).error.code).toBe('server_busy');
  expect(value(await scrape(), /^glaze_sse_refused_total\{role="server"\} (\d+)/m)).toBe(1);
  await post(`/tables/${table.id}/columns/${column.id}/runs`, { scope: 'all' });
  await expect
    .poll(async () =>
      value(
        await scrape(),
        /^glaze_cells_finished_total\{provider="mock",status="done",role="server"\} (\d+)/m,
      ),
    )
    .toBe(2);
  const text = await scrape();
  expect(value(text, /^glaze_sse_bytes_sent_total\{role="server"\} (\d+)/m)).toBeGreaterThan(0);
  events.close();
  await expect.poll(async () => value(await scrape(), /^glaze_sse_clients\{role="server"\} (\d+)/m)).toBe(0);
});
