import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpProvider } from '../src/http';
import { assertUrlAllowed, BlockedUrlError, type LookupAll } from '../src/net/guard';
import { createGuardedAgent } from '../src/net/guarded-agent';
import { guardedFetch } from '../src/net/guarded-fetch';
import { runProvider } from './support/run-provider';
import { startTestServer, type TestServer } from './support/test-server';

/** A resolver that gives each name its answers in turn (the last one repeats) and counts its calls. */
function scriptedDns(script: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: LookupAll = async (hostname) => {
    calls.push(hostname);
    const answers = script[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const seen = calls.filter((name) => name === hostname).length;
    return [{ address: answers[Math.min(seen, answers.length) - 1] as string }];
  };
  return { lookup, calls };
}

describe('DNS rebinding: the checked address is the connected address', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer((request, response) => {
      if (request.url === '/to-inward') {
        response.writeHead(302, { location: `http://inward.example:${port}/secret` });
        return response.end();
      }
      if (request.url === '/to-literal') {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/secret` });
        return response.end();
      }
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`host ${request.headers.host}`);
    });
    port = new URL(server.origin).port;
  });
  afterAll(() => server.close());

  it('refuses a name that answers public to the check and 127.0.0.1 to the connection', async () => {
    // 93.184.215.14 first (what the old guard checked), 127.0.0.1 afterwards (what fetch's own
    // second lookup would have connected to).
    const { lookup, calls } = scriptedDns({ 'rebind.example': ['93.184.215.14', '127.0.0.1'] });
    const url = `http://rebind.example:${port}/secret`;
    await expect(assertUrlAllowed(new URL(url), { lookup })).resolves.toBeUndefined();

    const refusal = guardedFetch(url, {}, { lookup });
    await expect(refusal).rejects.toThrow(BlockedUrlError);
    await expect(refusal).rejects.toThrow(
      'refused rebind.example (resolves to 127.0.0.1): loopback addresses are not reachable from providers',
    );
    await expect(refusal).rejects.toMatchObject({ host: 'rebind.example', address: '127.0.0.1' });
    expect(calls).toEqual(['rebind.example', 'rebind.example']);
    expect(server.requests).toEqual([]);
  });

  it('resolves once per connection and connects to the address it checked', async () => {
    // If anything resolved the name a second time it would get 10.0.0.1 and fail (refused or
    // unroutable); the request succeeding with one lookup shows the checked answer was used.
    const { lookup, calls } = scriptedDns({ 'api.glaze.test': ['127.0.0.1', '10.0.0.1'] });
    const response = await guardedFetch(
      `http://api.glaze.test:${port}/`,
      {},
      { lookup, allow: ['127.0.0.1'] },
    );
    expect(await response.text()).toBe(`host api.glaze.test:${port}`);
    expect(calls).toEqual(['api.glaze.test']);
  });

  it.each([
    [['127.0.0.1'], 'reaches'],
    [['127.0.0.0/8'], 'reaches'],
    [['*.glaze.test'], 'reaches'],
    [['api.glaze.test'], 'reaches'],
    [[], 'refused'],
    [['::1', '10.0.0.0/8', 'other.glaze.test'], 'refused'],
  ])('GLAZE_HTTP_ALLOW=%j %s a name resolving to 127.0.0.1', async (allow, outcome) => {
    const { lookup } = scriptedDns({ 'api.glaze.test': ['127.0.0.1'] });
    const sent = guardedFetch(`http://api.glaze.test:${port}/`, {}, { lookup, allow });
    if (outcome === 'reaches') expect(await (await sent).text()).toBe(`host api.glaze.test:${port}`);
    else await expect(sent).rejects.toThrow('refused api.glaze.test (resolves to 127.0.0.1): loopback');
  });

  it('uses the system resolver by default: localhost is refused unless allowed', async () => {
    const before = server.requests.length;
    await expect(guardedFetch(`http://localhost:${port}/`)).rejects.toThrow(
      /refused localhost \(resolves to .*\): loopback/,
    );
    expect(server.requests.length).toBe(before);
    const allowed = await guardedFetch(`http://localhost:${port}/`, {}, { allow: ['localhost'] });
    expect(await allowed.text()).toBe(`host localhost:${port}`);
  });

  it('checks every redirect hop at connect time: a redirect to a name resolving to loopback is refused', async () => {
    // The first host is allowed by name; the redirect target resolves to the same server, unallowed.
    const { lookup } = scriptedDns({ 'api.glaze.test': ['127.0.0.1'], 'inward.example': ['127.0.0.1'] });
    const before = server.requests.length;
    const refusal = guardedFetch(
      `http://api.glaze.test:${port}/to-inward`,
      {},
      { lookup, allow: ['api.glaze.test'] },
    );
    await expect(refusal).rejects.toThrow('refused inward.example (resolves to 127.0.0.1): loopback');
    expect(server.requests.slice(before).map((request) => request.url)).toEqual(['/to-inward']);
  });

  it('refuses a redirect to a literal loopback address when only the first host is allowed', async () => {
    const { lookup } = scriptedDns({ 'api.glaze.test': ['127.0.0.1'] });
    const before = server.requests.length;
    const refusal = guardedFetch(
      `http://api.glaze.test:${port}/to-literal`,
      {},
      { lookup, allow: ['api.glaze.test'] },
    );
    await expect(refusal).rejects.toThrow('refused 127.0.0.1: loopback');
    expect(server.requests.slice(before).map((request) => request.url)).toEqual(['/to-literal']);
  });

  it('refuses the IPv4-compatible and NAT64 forms of loopback at connect time', async () => {
    const before = server.requests.length;
    for (const address of ['::7f00:1', '64:ff9b::7f00:1', '::ffff:0:7f00:1']) {
      const { lookup } = scriptedDns({ 'six.example': [address] });
      await expect(guardedFetch(`http://six.example:${port}/`, {}, { lookup })).rejects.toThrow(
        `(resolves to ${address}, the `,
      );
    }
    expect(server.requests.length).toBe(before);
  });

  it('gives the http provider a permanent error naming the call, the host and the address', async () => {
    const { lookup } = scriptedDns({ 'rebind.example': ['127.0.0.1'] });
    const http = createHttpProvider({ lookup });
    const result = await runProvider(http, { url: `http://rebind.example:${port}/secret` }, {});
    expect(result).toEqual({
      kind: 'permanent',
      message:
        `GET rebind.example:${port}: refused rebind.example (resolves to 127.0.0.1): loopback addresses are ` +
        'not reachable from providers; add the host or address to the HTTP allow list (GLAZE_HTTP_ALLOW) to permit it',
    });
  });
});

describe('DNS rebinding: https keeps the host name for SNI and the certificate', () => {
  let dir: string;
  let cert: string;
  let server: Server;
  let port: number;
  const seen: Array<{ servername: string | false | null; host: string | undefined }> = [];
  beforeAll(async () => {
    // A throw-away self-signed certificate for api.glaze.test, trusted only by this test's agent.
    dir = mkdtempSync(join(tmpdir(), 'glaze-ssrf-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=api.glaze.test',
        '-addext',
        'subjectAltName=DNS:api.glaze.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (request, response) => {
      seen.push({ servername: (request.socket as TLSSocket).servername, host: request.headers.host });
      response.end('tls ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects to the checked IP but sends SNI and Host for the name, and verifies the certificate for it', async () => {
    const { lookup } = scriptedDns({ 'api.glaze.test': ['127.0.0.1'], 'other.glaze.test': ['127.0.0.1'] });
    const agent = createGuardedAgent({ lookup, allow: ['127.0.0.1'], tls: { ca: cert } });
    try {
      const response = await undiciFetch(`https://api.glaze.test:${port}/`, { dispatcher: agent });
      expect(await response.text()).toBe('tls ok');
      expect(seen).toEqual([{ servername: 'api.glaze.test', host: `api.glaze.test:${port}` }]);
      // Same IP, another name: the certificate is checked against the name, so it fails.
      const mismatch = undiciFetch(`https://other.glaze.test:${port}/`, { dispatcher: agent });
      await expect(mismatch).rejects.toMatchObject({ cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } });
    } finally {
      await agent.close();
    }
  });
});
