import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@glaze/db';
import { createSecretsLoader, createWorker, type GlazeWorker } from '@glaze/engine';
import { createProviderRegistry } from '@glaze/providers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEvents, type TestServer, testServer } from './helpers';

/**
 * Issue #11.2: an endpoint that echoes the API key it was sent — into the answer (value), its
 * error message (error) and the fields Glaze keeps as meta (`model`, `finishReason`) — in plain,
 * base64, base64url, URL-encoded and upper-case forms. None of them may reach a person or a disk:
 * REST rows, SSE frames, CSV export, the server's and worker's logs, the `cells` table.
 */
const secret = 'sk-live/Reflect+me=7c1d9e0f';
const forms = {
  plain: secret,
  base64: Buffer.from(secret).toString('base64'),
  base64url: Buffer.from(secret).toString('base64url'),
  urlEncoded: encodeURIComponent(secret),
  upper: secret.toUpperCase(),
};
const echo = Object.values(forms).join(' | ');

let server: TestServer;
let endpoint: Server;
let worker: GlazeWorker;
let base: string;
let llmBase: string;
const logLines: string[] = [];
const received: string[] = [];

beforeAll(async () => {
  endpoint = createHttpServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push(String(request.headers.authorization ?? ''));
    const prompt: string = JSON.parse(body).messages.at(-1).content;
    response.setHeader('content-type', 'application/json');
    if (prompt.startsWith('fail')) {
      response.statusCode = 400;
      response.end(JSON.stringify({ error: { message: `bad key: ${echo}` } }));
      return;
    }
    response.end(
      JSON.stringify({
        model: `echo ${echo}`,
        choices: [{ message: { content: `you sent ${echo}` }, finish_reason: forms.base64 }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  endpoint.listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  llmBase = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;

  // Everything either process logs, at every level, as the JSON lines pino writes.
  const logger = createLogger('trace', { write: (line: string) => logLines.push(line) });
  const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
  const key = randomBytes(32);
  server = await testServer({ providers, logger, secretKey: key });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
  worker = await createWorker({
    pool: server.db.pool,
    providers,
    logger,
    backoffMs: 10,
    sweepIntervalMs: 200,
    secretsFor: createSecretsLoader(server.db.pool, key),
  });
});
afterAll(async () => {
  await worker?.stop();
  await server?.close();
  endpoint?.close();
});

async function request(method: string, path: string, body?: unknown, type = 'application/json') {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...server.auth, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

function expectNoSecret(channel: string, text: string) {
  for (const [name, form] of Object.entries(forms)) expect(text, `${channel}: ${name}`).not.toContain(form);
  // Stronger than the forms echoed: no 8-character run of the secret in any case.
  expect(text.toLowerCase(), channel).not.toContain('reflect+me');
}

it('a secret echoed into value, error and meta reaches no channel in any form', async () => {
  expect((await request('PUT', '/secrets/REFLECT_KEY', { value: secret })).status).toBe(204);
  const csv = 'prompt\nok one\nfail two\nok three\nfail four\n';
  const imported = await request('POST', '/tables/import?name=Reflect', csv, 'text/csv');
  expect(imported.status).toBe(201);
  const tableId = imported.json().table.id;
  const added = await request('POST', `/tables/${tableId}/columns`, {
    name: 'Echo',
    kind: 'enrichment',
    provider: 'llm',
    config: {
      baseUrl: llmBase,
      apiKey: '{{secret.REFLECT_KEY}}',
      prompt: '{{prompt}}',
      responseFormat: 'none',
    },
  });
  expect(added.status).toBe(201);
  const columnId = added.json().column.id;

  const events = await openEvents(`${base}/tables/${tableId}/events`, server.auth);
  const frames: string[] = [];
  const ready = await events.next();
  frames.push(JSON.stringify(ready));
  const started = await request('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope: 'all' });
  expect(started.status).toBe(201);
  const runId = started.json().run.id;
  for (let finished = false; !finished; ) {
    const event = await events.next(15_000);
    frames.push(JSON.stringify(event));
    const data = event.data as { runs?: Array<{ id: number; status: string }> };
    finished =
      event.event === 'changes' && (data.runs ?? []).some((r) => r.id === runId && r.status === 'done');
  }
  events.close();

  // The endpoint really got the key and really echoed it: the test is not vacuous.
  expect(received.length).toBeGreaterThanOrEqual(4);
  expect(received.every((header) => header === `Bearer ${secret}`)).toBe(true);

  const { rows: cells } = await server.db.pool.query(
    `select status, value::text as value, error, meta::text as meta from cells where column_id = $1 order by row_id`,
    [columnId],
  );
  expect(cells.map((c) => c.status)).toEqual(['done', 'error', 'done', 'error']);
  const stored = JSON.stringify(cells);
  expectNoSecret('cells table', stored);
  // Every echo became [secret], in value, error and meta alike.
  expect(cells[0].value).toBe(JSON.stringify(`you sent ${Array(5).fill('[secret]').join(' | ')}`));
  expect(JSON.parse(cells[0].meta)).toMatchObject({
    model: `echo ${Array(5).fill('[secret]').join(' | ')}`,
    finishReason: '[secret]',
  });
  expect(cells[1].error).toContain(`bad key: ${Array(5).fill('[secret]').join(' | ')}`);

  const rows = await request('GET', `/tables/${tableId}/rows`);
  expect(rows.status).toBe(200);
  expect(rows.text).toContain('[secret]');
  expectNoSecret('REST rows', rows.text);

  expect(frames.join('\n')).toContain('[secret]');
  expectNoSecret('SSE frames', frames.join('\n'));

  const exported = await request('GET', `/tables/${tableId}/export`);
  expect(exported.status).toBe(200);
  expect(exported.text).toContain('[secret]');
  expectNoSecret('CSV export', exported.text);

  expect(logLines.length).toBeGreaterThan(0);
  expectNoSecret('server and worker log', logLines.join(''));
});

it('refuses {{secret.NAME}} outside secret-bearing fields at save, naming the field', async () => {
  const imported = await request('POST', '/tables/import?name=Refuse', 'prompt\nx\n', 'text/csv');
  const tableId = imported.json().table.id;
  const mock = await request('POST', `/tables/${tableId}/columns`, {
    name: 'Leaky',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: 'x {{secret.REFLECT_KEY}}' },
  });
  expect(mock.status).toBe(400);
  expect(mock.json().error).toMatchObject({
    code: 'validation_failed',
    path: 'config.input',
    message: expect.stringContaining('{{secret.REFLECT_KEY}} may only be used in secret-bearing fields'),
  });
  const waterfall = await request('POST', `/tables/${tableId}/columns`, {
    name: 'Steps',
    kind: 'enrichment',
    provider: 'waterfall',
    config: {
      steps: [
        {
          provider: 'http',
          config: { url: 'https://a.example/', headers: { Authorization: '{{secret.K}}' } },
        },
        { provider: 'http', config: { url: 'https://a.example/?key={{secret.K}}' } },
      ],
    },
  });
  expect(waterfall.status).toBe(400);
  expect(waterfall.json().error).toMatchObject({
    path: 'config.steps[1].config.url',
    message: expect.stringContaining('secret-bearing fields (headers)'),
  });
  // The same rule on update.
  const ok = await request('POST', `/tables/${tableId}/columns`, {
    name: 'Fine',
    kind: 'enrichment',
    provider: 'llm',
    config: { prompt: '{{prompt}}', apiKey: '{{secret.REFLECT_KEY}}' },
  });
  expect(ok.status).toBe(201);
  const patched = await request('PATCH', `/tables/${tableId}/columns/${ok.json().column.id}`, {
    config: { prompt: 'say {{secret.REFLECT_KEY}}' },
  });
  expect(patched.status).toBe(400);
  expect(patched.json().error.path).toBe('config.prompt');
});
