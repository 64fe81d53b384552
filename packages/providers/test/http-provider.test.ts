import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProvider } from '../src/http';
import { okValue, runProvider } from './support/run-provider';
import { sendJson, startTestServer, type TestServer } from './support/test-server';

const secrets = { API_KEY: 'sk-very-secret-123' };
const http = createHttpProvider({ allow: ['127.0.0.1'] });

describe('http provider against a server on 127.0.0.1', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(async (request, response) => {
      const url = new URL(request.url, 'http://x');
      switch (url.pathname) {
        case '/company':
          return sendJson(response, 200, {
            data: { company: { domain: url.searchParams.get('q'), size: 42 } },
          });
        case '/echo':
          return sendJson(response, 200, {
            body: JSON.parse(request.body || 'null'),
            auth: request.headers.authorization,
          });
        case '/busy':
          return sendJson(
            response,
            429,
            { message: 'slow down' },
            { 'retry-after': url.searchParams.get('after') ?? '7' },
          );
        case '/quota':
          return sendJson(
            response,
            200,
            { q: url.searchParams.get('q') },
            {
              'x-ratelimit-limit-requests': '200',
              'x-ratelimit-remaining-requests': '160',
              'x-ratelimit-reset-requests': '200ms',
            },
          );
        case '/down':
          return sendJson(response, 503, { message: 'maintenance' });
        case '/bad':
          return sendJson(response, 400, { error: { message: 'domain is required' } });
        case '/leaky':
          return sendJson(response, 401, { message: `key ${request.headers['x-api-key']} is revoked` });
        case '/slow':
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          return sendJson(response, 200, {});
        case '/text':
          response.writeHead(200, { 'content-type': 'text/plain' });
          return response.end('plain answer');
        default:
          return sendJson(response, 404, { message: 'no such thing' });
      }
    });
  });
  afterAll(() => server.close());

  it('renders the URL (encoded) and headers with secrets, and keeps the configured fields', async () => {
    const config = {
      url: `${server.origin}/company?q={{Company}}`,
      headers: { authorization: 'Bearer {{secret.API_KEY}}' },
      fields: { domain: 'data.company.domain', size: 'data.company.size', missing: 'data.nope' },
    };
    const result = await runProvider(http, config, { Company: 'AT&T Inc' }, { secrets });
    expect(result).toEqual({ kind: 'ok', value: { domain: 'AT&T Inc', size: 42, missing: null } });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-very-secret-123');
  });

  it('sends a JSON body whose whole-placeholder strings keep their types, and redacts secrets in values', async () => {
    const config = {
      method: 'POST',
      url: `${server.origin}/echo`,
      headers: { authorization: '{{secret.API_KEY}}' },
      body: { name: '{{Company}}', employees: '{{Employees}}', note: 'hi {{Company}}' },
    };
    const value = okValue(
      await runProvider(http, config, { Company: 'Acme "Q"', Employees: 120 }, { secrets }),
    );
    expect(value).toEqual({
      body: { name: 'Acme "Q"', employees: 120, note: 'hi Acme "Q"' },
      auth: '[secret]',
    });
    expect(server.requests.at(-1)?.headers['content-type']).toBe('application/json');
  });

  it('returns 429 as throttled and retryable with Retry-After in seconds or as an HTTP date', async () => {
    expect(await runProvider(http, { url: `${server.origin}/busy?after=7` }, {})).toEqual({
      kind: 'retryable',
      message: expect.stringContaining('HTTP 429 Too Many Requests: slow down'),
      retryAfterMs: 7000,
      throttled: true,
    });
    const date = new Date(Date.now() + 30_000).toUTCString();
    const result = await runProvider(
      http,
      { url: `${server.origin}/busy?after=${encodeURIComponent(date)}` },
      {},
    );
    expect(result.kind === 'retryable' && result.retryAfterMs).toBeGreaterThan(25_000);
  });

  it("reports the rate an answer's quota headers show only when the column's host is fixed", async () => {
    const fixed = await runProvider(http, { url: `${server.origin}/quota?q={{Q}}` }, { Q: 'a' });
    expect(fixed.kind === 'ok' && fixed.rate?.low).toBeGreaterThan(190);
    // The host comes from the row: many APIs, each with its own quota, none the column's rate.
    const fromRow = await runProvider(http, { url: '{{Origin}}/quota?q=a' }, { Origin: server.origin });
    expect(fromRow).toEqual({ kind: 'ok', value: { q: 'a' } });
  });

  it('returns 5xx as retryable and other 4xx as permanent with the API message', async () => {
    expect(await runProvider(http, { url: `${server.origin}/down` }, {})).toMatchObject({
      kind: 'retryable',
    });
    expect(await runProvider(http, { url: `${server.origin}/bad` }, {})).toEqual({
      kind: 'permanent',
      message: 'GET 127.0.0.1:' + new URL(server.origin).port + ': HTTP 400 Bad Request: domain is required',
    });
  });

  it('treats 404 as empty only when notFoundIsEmpty is set', async () => {
    const url = `${server.origin}/missing`;
    expect(await runProvider(http, { url, notFoundIsEmpty: true }, {})).toEqual({ kind: 'empty' });
    expect(await runProvider(http, { url }, {})).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('404'),
    });
  });

  it('answers empty when none of the configured fields is present', async () => {
    const config = { url: `${server.origin}/company?q=x`, fields: { ceo: 'data.company.ceo' } };
    expect(await runProvider(http, config, {})).toEqual({ kind: 'empty' });
  });

  it('keeps a text response as text', async () => {
    expect(okValue(await runProvider(http, { url: `${server.origin}/text` }, {}))).toBe('plain answer');
  });

  it('never puts a secret into an error message', async () => {
    const config = {
      url: `${server.origin}/leaky?k={{secret.API_KEY}}`,
      headers: { 'x-api-key': '{{secret.API_KEY}}' },
    };
    const result = await runProvider(http, config, {}, { secrets });
    expect(result).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('key [secret] is revoked'),
    });
    expect(JSON.stringify(result)).not.toContain('sk-very-secret-123');
  });

  it('times out as retryable, naming config.timeoutMs', async () => {
    const result = await runProvider(http, { url: `${server.origin}/slow`, timeoutMs: 200 }, {});
    expect(result).toEqual({
      kind: 'retryable',
      message: expect.stringContaining('no answer within 200 ms (config.timeoutMs)'),
    });
  });

  it('reports a refused connection as retryable', async () => {
    const closed = await startTestServer(() => {});
    await closed.close();
    const result = await runProvider(http, { url: `${closed.origin}/x` }, {});
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('refuses loopback without an allow list, as a permanent error', async () => {
    const result = await runProvider(createHttpProvider(), { url: `${server.origin}/company` }, {});
    expect(result).toMatchObject({ kind: 'permanent', message: expect.stringContaining('loopback') });
  });

  it('names config.url when the rendered URL is not absolute', async () => {
    const result = await runProvider(http, { url: '{{Website}}/about' }, { Website: 'acme' });
    expect(result).toEqual({ kind: 'permanent', message: 'config.url: "acme/about" is not an absolute URL' });
  });

  it('names the header whose rendered value cannot be sent', async () => {
    const config = { url: `${server.origin}/company`, headers: { 'x-note': '{{Note}}' } };
    const result = await runProvider(http, config, { Note: 'two\nlines' });
    expect(result).toEqual({ kind: 'permanent', message: 'config.headers.x-note: not a valid HTTP header' });
  });

  it('re-throws the engine abort instead of reporting a provider failure', async () => {
    const controller = new AbortController();
    const pending = runProvider(http, { url: `${server.origin}/slow` }, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await expect(pending).rejects.toThrow('run cancelled');
  });
});
