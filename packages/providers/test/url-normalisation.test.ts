import { describe, expect, it } from 'vitest';
import { checkUrl, urlProvider } from '../src/url';
import { okValue, runProvider } from './support/run-provider';

describe('url provider', () => {
  it.each([
    ['Example.COM', 'https://example.com'],
    ['http://WWW.Example.com:80/', 'http://www.example.com'],
    ['https://example.com:443/a/b/?q=1#top', 'https://example.com/a/b/?q=1'],
    ['https://example.com:8443', 'https://example.com:8443'],
    ['//cdn.example.co.uk/x.js', 'https://cdn.example.co.uk/x.js'],
    ['  shop.bücher.de/path  ', 'https://shop.xn--bcher-kva.de/path'],
  ])('normalises %s to %s', (input, url) => {
    expect(checkUrl(input)).toMatchObject({ valid: true, url });
  });

  it('finds the host, registrable domain and public suffix', async () => {
    const value = okValue(await runProvider(urlProvider, {}, { url: 'https://news.bbc.co.uk/sport' }));
    expect(value).toEqual({
      valid: true,
      url: 'https://news.bbc.co.uk/sport',
      host: 'news.bbc.co.uk',
      domain: 'bbc.co.uk',
      publicSuffix: 'co.uk',
    });
  });

  it.each([
    ['ftp://example.com', 'scheme "ftp" is not accepted: use http or https'],
    ['https://exa mple.com', 'is not a URL'],
    ['localhost:3000', 'not under a known public suffix'],
  ])('marks %s invalid with a reason', (input, reason) => {
    const check = checkUrl(input);
    expect(check.valid).toBe(false);
    if (!check.valid) expect(check.reason).toContain(reason);
  });

  it('accepts an IP address host without a registrable domain', () => {
    expect(checkUrl('10.0.0.1/admin')).toEqual({
      valid: true,
      url: 'https://10.0.0.1/admin',
      host: '10.0.0.1',
      domain: null,
      publicSuffix: null,
    });
  });
});
