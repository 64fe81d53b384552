import { silentLogger } from '@glaze/db';
import { builtinProviders } from '@glaze/providers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
/** Same database, tiny limits: 2 KiB of JSON, 200 bytes of CSV. */
let small: FastifyInstance;
let tableId: number;
let columnId: number;
beforeAll(async () => {
  server = await testServer();
  small = await createServer({
    pool: server.db.pool,
    providers: builtinProviders,
    hub: server.hub,
    logger: silentLogger,
    webDir: null,
    bodyLimit: 2048,
    csvLimit: 200,
  });
  const created = await send(server.app, 'POST', '/tables', { json: { name: 'T', columns: ['email'] } });
  tableId = created.json().table.id;
  const column = await send(server.app, 'POST', `/tables/${tableId}/columns`, {
    json: { name: 'Check', kind: 'enrichment', provider: 'mock' },
  });
  columnId = column.json().column.id;
});
afterAll(async () => {
  await small.close();
  await server.close();
});

function send(
  app: FastifyInstance,
  method: string,
  url: string,
  options: { json?: unknown; raw?: string; type?: string; headers?: Record<string, string> } = {},
) {
  const payload = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const type = options.type ?? (options.json !== undefined ? 'application/json' : undefined);
  return app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...server.auth, ...(type ? { 'content-type': type } : {}), ...options.headers },
    payload,
  });
}

type Case = [
  name: string,
  run: () => ReturnType<typeof send>,
  status: number,
  code: string,
  path?: string | null,
];

const cases: Case[] = [
  [
    'invalid JSON',
    () => send(server.app, 'POST', '/tables', { raw: '{"name": ', type: 'application/json' }),
    400,
    'invalid_json',
    null,
  ],
  [
    'text/plain to a JSON route',
    () => send(server.app, 'POST', '/tables', { raw: 'name=x', type: 'text/plain' }),
    415,
    'unsupported_media_type',
  ],
  [
    'JSON to a CSV import',
    () => send(server.app, 'POST', '/tables/import?name=x', { json: { name: 'x' } }),
    415,
    'unsupported_media_type',
  ],
  [
    'a CSV import without a body',
    () => send(server.app, 'POST', `/tables/${tableId}/import`),
    415,
    'unsupported_media_type',
  ],
  [
    'JSON over GLAZE_BODY_LIMIT',
    () => send(small, 'POST', `/tables/${tableId}/rows`, { json: { rows: [{ email: 'x'.repeat(4000) }] } }),
    413,
    'payload_too_large',
  ],
  [
    'CSV over GLAZE_CSV_LIMIT',
    () =>
      send(small, 'POST', '/tables/import?name=big', {
        raw: `email\n${'a@b.co\n'.repeat(100)}`,
        type: 'text/csv',
      }),
    413,
    'payload_too_large',
  ],
  ['an unknown table', () => send(server.app, 'GET', '/tables/987654'), 404, 'not_found'],
  ['a table id that is not a number', () => send(server.app, 'GET', '/tables/abc/rows'), 404, 'not_found'],
  ['a table id past 2^53', () => send(server.app, 'GET', '/tables/99999999999999999999'), 404, 'not_found'],
  ['an unknown run', () => send(server.app, 'GET', '/runs/987654'), 404, 'not_found'],
  [
    'an unknown column',
    () => send(server.app, 'PATCH', `/tables/${tableId}/columns/987654`, { json: { name: 'x' } }),
    404,
    'not_found',
  ],
  [
    'a run of an unknown column',
    () => send(server.app, 'POST', `/tables/${tableId}/columns/987654/runs`, { json: { scope: 'all' } }),
    404,
    'not_found',
  ],
  ['an unknown route', () => send(server.app, 'GET', '/nothing-here'), 404, 'not_found'],
  [
    'a config field of the wrong type',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns`, {
        json: { name: 'M', kind: 'enrichment', provider: 'mock', config: { latencyMs: 'slow' } },
      }),
    400,
    'validation_failed',
    'config.latencyMs',
  ],
  [
    'a setting the provider does not take (misspelt)',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns`, {
        json: { name: 'M2', kind: 'enrichment', provider: 'mock', config: { minLatencyMs: 20 } },
      }),
    400,
    'validation_failed',
    'config.minLatencyMs',
  ],
  [
    'a setting the provider does not take, on update',
    () =>
      send(server.app, 'PATCH', `/tables/${tableId}/columns/${columnId}`, {
        json: { config: { failrate: 0.5 } },
      }),
    400,
    'validation_failed',
    'config.failrate',
  ],
  [
    'a misspelt run option (a field the route does not take)',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns/${columnId}/runs`, {
        json: { scope: 'all', maxAttemps: 5 },
      }),
    400,
    'validation_failed',
    'maxAttemps',
  ],
  [
    'a misspelt query parameter',
    () => send(server.app, 'GET', `/tables/${tableId}/rows?filtr=${encodeURIComponent('{}')}`),
    400,
    'validation_failed',
    'filtr',
  ],
  [
    'an empty http url',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns`, {
        json: { name: 'H', kind: 'enrichment', provider: 'http', config: { url: '' } },
      }),
    400,
    'validation_failed',
    'config.url',
  ],
  [
    'a bad config on update',
    () =>
      send(server.app, 'PATCH', `/tables/${tableId}/columns/${columnId}`, {
        json: { config: { failRate: 2 } },
      }),
    400,
    'validation_failed',
    'config.failRate',
  ],
  [
    'an unknown provider',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns`, {
        json: { name: 'U', kind: 'enrichment', provider: 'nope' },
      }),
    400,
    'validation_failed',
    'provider',
  ],
  [
    'a duplicate column name',
    () => send(server.app, 'POST', `/tables/${tableId}/columns`, { json: { name: 'email', kind: 'input' } }),
    409,
    'conflict',
    'name',
  ],
  [
    'a missing table name',
    () => send(server.app, 'POST', '/tables', { json: {} }),
    400,
    'validation_failed',
    'name',
  ],
  [
    'rows that are not a list',
    () => send(server.app, 'POST', `/tables/${tableId}/rows`, { json: { rows: 'x' } }),
    400,
    'validation_failed',
    'rows',
  ],
  [
    'a row naming an unknown column',
    () => send(server.app, 'POST', `/tables/${tableId}/rows`, { json: { rows: [{ phone: '1' }] } }),
    400,
    'validation_failed',
    'rows[0]',
  ],
  [
    'a bad run scope',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/columns/${columnId}/runs`, { json: { scope: 'some' } }),
    400,
    'validation_failed',
    'scope',
  ],
  [
    'a forged cursor',
    () => send(server.app, 'GET', `/tables/${tableId}/rows?cursor=abc`),
    400,
    'validation_failed',
    'cursor',
  ],
  [
    'a limit out of range',
    () => send(server.app, 'GET', `/tables/${tableId}/rows?limit=0`),
    400,
    'validation_failed',
    'limit',
  ],
  [
    'a reorder missing a column',
    () => send(server.app, 'PUT', `/tables/${tableId}/columns/order`, { json: { columnIds: [columnId] } }),
    400,
    'validation_failed',
    'columnIds',
  ],
  [
    'a Last-Event-ID that is not a seq',
    () => send(server.app, 'GET', `/tables/${tableId}/events`, { headers: { 'last-event-id': 'yesterday' } }),
    400,
    'validation_failed',
    'last-event-id',
  ],
  [
    'a NUL in a table name',
    () => send(server.app, 'POST', '/tables', { json: { name: 'a\u0000b' } }),
    400,
    'validation_failed',
    'name',
  ],
  [
    'a NUL in a row value',
    () => send(server.app, 'POST', `/tables/${tableId}/rows`, { json: { rows: [{ email: '\u0000' }] } }),
    400,
    'validation_failed',
    'rows[0].email',
  ],
  [
    'a NUL in a config key',
    () =>
      send(server.app, 'PATCH', `/tables/${tableId}/columns/${columnId}`, {
        json: { config: { 'a\u0000': 1 } },
      }),
    400,
    'validation_failed',
    'config.a\u0000',
  ],
  [
    'a lone surrogate in a row value',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/rows`, {
        raw: '{"rows":[{"email":"\\ud800"}]}',
        type: 'application/json',
      }),
    400,
    'validation_failed',
    'rows[0].email',
  ],
  [
    'a NUL in a query value',
    () => send(server.app, 'POST', '/tables/import?name=a%00', { raw: 'a\n1\n', type: 'text/csv' }),
    400,
    'validation_failed',
    'name',
  ],
  [
    'a row nested 5,000 levels deep',
    () =>
      send(server.app, 'POST', `/tables/${tableId}/rows`, {
        raw: `{"rows":[{"email":${'['.repeat(5000)}${']'.repeat(5000)}}]}`,
        type: 'application/json',
      }),
    400,
    'validation_failed',
    `rows[0].email${'[0]'.repeat(61)}`,
  ],
  [
    'a cursor with a fractional id',
    () =>
      send(
        server.app,
        'GET',
        `/tables/${tableId}/rows?cursor=${Buffer.from('[1,1.5]').toString('base64url')}`,
      ),
    400,
    'validation_failed',
    'cursor',
  ],
  [
    'a hex limit',
    () => send(server.app, 'GET', `/tables/${tableId}/rows?limit=0x10`),
    400,
    'validation_failed',
    'limit',
  ],
  ['a hex table id', () => send(server.app, 'GET', `/tables/0x${tableId.toString(16)}`), 404, 'not_found'],
  ['an exponent table id', () => send(server.app, 'GET', `/tables/${tableId}e0`), 404, 'not_found'],
  ['a zero-padded table id', () => send(server.app, 'GET', `/tables/0${tableId}`), 404, 'not_found'],
  [
    'a string id in a body',
    () => send(server.app, 'DELETE', `/tables/${tableId}/rows`, { json: { ids: ['1'] } }),
    400,
    'validation_failed',
    'ids[0]',
  ],
  ['a bad %-escape in the URL', () => send(server.app, 'GET', '/tables/%zz'), 400, 'bad_request', null],
  [
    'a path segment over 100 characters',
    () => send(server.app, 'GET', `/tables/${'1'.repeat(5000)}`),
    414,
    'uri_too_long',
    null,
  ],
  [
    'a CSV header with a NUL',
    () => send(server.app, 'POST', '/tables/import?name=x', { raw: 'na\u0000me\nx\n', type: 'text/csv' }),
    400,
    'validation_failed',
  ],
  [
    'a CSV header of 3,000 characters',
    () =>
      send(server.app, 'POST', '/tables/import?name=x', {
        raw: `${'h'.repeat(3000)}\nx\n`,
        type: 'text/csv',
      }),
    400,
    'validation_failed',
  ],
  [
    'a CSV header of 1 MB',
    () =>
      send(server.app, 'POST', '/tables/import?name=x', {
        raw: `${'h'.repeat(1_000_000)}\nx\n`,
        type: 'text/csv',
      }),
    400,
    'validation_failed',
  ],
  [
    'a CSV of 2,000 columns',
    () =>
      send(server.app, 'POST', '/tables/import?name=x', {
        raw: `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',')}\n`,
        type: 'text/csv',
      }),
    400,
    'validation_failed',
  ],
  [
    'no token',
    () => send(server.app, 'GET', '/tables', { headers: { authorization: '' } }),
    401,
    'unauthorized',
  ],
  [
    'an unknown token',
    () => send(server.app, 'GET', '/tables', { headers: { authorization: 'Bearer glz_not-a-token' } }),
    401,
    'unauthorized',
  ],
  [
    'a malformed Authorization header',
    () => send(server.app, 'GET', '/tables', { headers: { authorization: 'Basic abc' } }),
    401,
    'unauthorized',
  ],
];

describe('bad input gets a clear 4xx, never a 500', () => {
  it('names the CSV line and cuts echoed input to 100 characters', async () => {
    const header = await send(server.app, 'POST', '/tables/import?name=x', {
      raw: `${'h'.repeat(1_000_000)}\nx\n`,
      type: 'text/csv',
    });
    expect(header.json().error.message).toMatch(
      /^line 1: header field 1 \("h{100}…"\) is 1000000 characters/,
    );
    expect(header.body.length).toBeLessThan(400);
    const provider = await send(server.app, 'POST', `/tables/${tableId}/columns`, {
      json: { name: 'P', kind: 'enrichment', provider: 'p'.repeat(1024 * 1024) },
    });
    expect(provider.statusCode).toBe(400);
    expect(provider.json().error.path).toBe('provider');
    expect(provider.body.length).toBeLessThan(400);
  });

  it('decodes a UTF-16BE CSV with a byte-order mark', async () => {
    const le = Buffer.from('\ufeffname,email\nAda,ada@example.com\n', 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1] as number;
      be[i + 1] = le[i] as number;
    }
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tables/import?name=utf16',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: be,
    });
    expect(response.statusCode).toBe(201);
    const table = await send(server.app, 'GET', `/tables/${response.json().table.id}`);
    expect(table.json().columns.map((c: { name: string }) => c.name)).toEqual(['name', 'email']);
  });

  it('answers headers over 16 KiB with a 431 in the error shape, over a real socket', async () => {
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/api/v1/tables`, { headers: { 'x-big': 'x'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({
      error: { code: 'headers_too_large', message: expect.any(String), path: null },
    });
  });

  it.each(cases)('%s', async (_name, run, status, code, path) => {
    const response = await run();
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(body.error).toMatchObject({ code, message: expect.any(String) });
    expect(body.error.message.length).toBeGreaterThan(5);
    if (path !== undefined) expect(body.error.path).toBe(path);
  });
});
