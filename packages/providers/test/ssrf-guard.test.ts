import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/net/allow-list';
import { assertUrlAllowed, BlockedUrlError, type LookupAll } from '../src/net/guard';
import { guardedFetch, TooManyRedirectsError } from '../src/net/guarded-fetch';
import { startTestServer, type TestServer } from './support/test-server';

/** A resolver that answers from a table, so tests can make a public-looking name resolve inward. */
const fakeDns =
  (table: Record<string, string[]>): LookupAll =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address }));
  };

describe('SSRF guard: address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:101::1', 'private'],
  ])('refuses a name resolving to %s (%s)', async (address, why) => {
    const lookup = fakeDns({ 'evil.example': [address] });
    const refusal = assertUrlAllowed(new URL('https://evil.example/x'), { lookup });
    await expect(refusal).rejects.toThrow(BlockedUrlError);
    await expect(refusal).rejects.toThrow(why);
  });

  // IPv6 forms that carry an IPv4 address: the IPv4 inside is judged by the IPv4 rules.
  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'resolves to ::ffff:127.0.0.1'],
    ['::127.0.0.1', 'loopback', 'resolves to ::127.0.0.1'],
    ['::ffff:7f00:1', 'loopback', 'resolves to ::ffff:7f00:1'],
    ['::7f00:1', 'loopback', 'IPv4-compatible form of 127.0.0.1'],
    ['::a9fe:a9fe', 'cloud metadata', 'IPv4-compatible form of 169.254.169.254'],
    ['::ffff:0:7f00:1', 'loopback', 'IPv4-translated form of 127.0.0.1'],
    ['::ffff:0:c0a8:101', 'private', 'IPv4-translated form of 192.168.1.1'],
    ['64:ff9b::7f00:1', 'loopback', 'NAT64 form of 127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata', 'NAT64 form of 169.254.169.254'],
    ['2002:7f00:1::1', 'loopback', '6to4 form of 127.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', 'Teredo form of 127.0.0.1'],
    ['64:ff9b:1::a00:1', 'local-use NAT64', 'resolves to 64:ff9b:1::a00:1'],
    ['fec0::1', 'site-local', 'resolves to fec0::1'],
  ])('refuses a name resolving to %s (%s)', async (address, why, form) => {
    const lookup = fakeDns({ 'evil.example': [address] });
    const refusal = assertUrlAllowed(new URL('https://evil.example/x'), { lookup });
    await expect(refusal).rejects.toThrow(BlockedUrlError);
    await expect(refusal).rejects.toThrow(why);
    await expect(refusal).rejects.toThrow(form);
  });

  it.each([
    'http://[::ffff:127.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://[::ffff:0:7f00:1]/',
    'http://[64:ff9b::127.0.0.1]/',
  ])('refuses the IPv6 literal %s as loopback', async (url) => {
    await expect(assertUrlAllowed(new URL(url))).rejects.toThrow('loopback addresses are not reachable');
  });

  it('lets IPv6 forms of public IPv4 addresses through', async () => {
    const lookup = fakeDns({
      'api.example': [
        '64:ff9b::5db8:d70e',
        '::ffff:0:5db8:d70e',
        '2002:5db8:d70e::1',
        '::ffff:93.184.215.14',
      ],
    });
    await expect(assertUrlAllowed(new URL('https://api.example/'), { lookup })).resolves.toBeUndefined();
  });

  it('lets public addresses through', async () => {
    const lookup = fakeDns({ 'api.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    await expect(assertUrlAllowed(new URL('https://api.example/'), { lookup })).resolves.toBeUndefined();
  });

  it('refuses when any one of several resolved addresses is private', async () => {
    const lookup = fakeDns({ 'mixed.example': ['93.184.215.14', '10.0.0.5'] });
    await expect(assertUrlAllowed(new URL('https://mixed.example/'), { lookup })).rejects.toThrow(
      'resolves to 10.0.0.5',
    );
  });

  it('refuses IP literals, including bracketed IPv6, and non-http schemes', async () => {
    await expect(assertUrlAllowed(new URL('http://169.254.169.254/latest/meta-data'))).rejects.toThrow(
      'cloud metadata',
    );
    await expect(assertUrlAllowed(new URL('http://[::1]:8080/'))).rejects.toThrow('loopback');
    await expect(assertUrlAllowed(new URL('file:///etc/passwd'))).rejects.toThrow('only http and https');
  });

  it('allows hosts, wildcard subdomains and CIDRs from the allow list', async () => {
    const lookup = fakeDns({ 'crm.corp.example': ['10.2.0.7'], 'llm.lan': ['192.168.7.2'] });
    const allow = ['*.corp.example', '192.168.0.0/16'];
    await expect(
      assertUrlAllowed(new URL('https://crm.corp.example/'), { allow, lookup }),
    ).resolves.toBeUndefined();
    await expect(assertUrlAllowed(new URL('http://llm.lan/'), { allow, lookup })).resolves.toBeUndefined();
    await expect(assertUrlAllowed(new URL('http://10.9.9.9/'), { allow, lookup })).rejects.toThrow('private');
  });

  it('names the bad entry of an allow list', () => {
    expect(() => parseAllowList(['127.0.0.1', '10.0.0.0/33'])).toThrow(
      'allow[1]: "10.0.0.0/33" is not a valid CIDR',
    );
    expect(() => parseAllowList(['not a host'])).toThrow('allow[0]');
  });
});

describe('SSRF guard: guardedFetch against a real server on 127.0.0.1', () => {
  let server: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ authorization: request.headers.authorization ?? null, method: request.method }),
      );
    });
    server = await startTestServer((request, response) => {
      const redirects: Record<string, string> = {
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
        '/to-other': `${other.origin}/landing`,
        '/to-self': '/ok',
        '/loop': '/loop',
        '/see-other': `${other.origin}/after-post`,
      };
      const location = redirects[request.url];
      response.writeHead(
        location ? (request.url === '/see-other' ? 303 : 302) : 200,
        location ? { location } : {},
      );
      response.end(location ? '' : `ok ${request.method} ${request.headers.authorization ?? '-'}`);
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it('refuses 127.0.0.1 by default, before any request is sent', async () => {
    const before = server.requests.length;
    await expect(guardedFetch(`${server.origin}/ok`)).rejects.toThrow('loopback');
    expect(server.requests.length).toBe(before);
  });

  it('reaches 127.0.0.1 when the allow list names it', async () => {
    const response = await guardedFetch(`${server.origin}/ok`, {}, { allow: ['127.0.0.1'] });
    expect(await response.text()).toBe('ok GET -');
  });

  it('checks every redirect hop: a redirect to the metadata address is refused', async () => {
    await expect(guardedFetch(`${server.origin}/to-metadata`, {}, { allow: ['127.0.0.1'] })).rejects.toThrow(
      'cloud metadata',
    );
  });

  it('stops after 5 redirects', async () => {
    const before = server.requests.length;
    await expect(guardedFetch(`${server.origin}/loop`, {}, { allow: ['127.0.0.1'] })).rejects.toThrow(
      TooManyRedirectsError,
    );
    expect(server.requests.length - before).toBe(6);
  });

  it('keeps Authorization on a same-origin redirect and drops it on a cross-origin one', async () => {
    const init = { headers: { authorization: 'Bearer sk-test' } };
    const same = await guardedFetch(`${server.origin}/to-self`, init, { allow: ['127.0.0.1'] });
    expect(await same.text()).toBe('ok GET Bearer sk-test');
    const cross = await guardedFetch(`${server.origin}/to-other`, init, { allow: ['127.0.0.1'] });
    expect(await cross.json()).toEqual({ authorization: null, method: 'GET' });
  });

  it('turns a POST into a GET after 303 See Other', async () => {
    const response = await guardedFetch(
      `${server.origin}/see-other`,
      { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } },
      { allow: ['127.0.0.1'] },
    );
    expect(await response.json()).toMatchObject({ method: 'GET' });
    expect(other.requests.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });
});
