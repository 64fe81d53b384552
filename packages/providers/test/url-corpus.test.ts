import { describe, expect, it } from 'vitest';
import { checkUrl } from '../src/url';
import { readCorpus } from './support/read-corpus';

interface Case {
  input: string;
  failure?: true;
  href?: string;
  username?: string;
  password?: string;
  hostname?: string;
  port?: string;
  pathname?: string;
  search?: string;
}

const cases = readCorpus<Case>('wpt-urltestdata-typed.json').cases;

/** What Glaze should answer for a URL the WHATWG parser accepts, under its documented rules. */
function expectedUrl(c: Case): { url: string; host: string } {
  const protocol = (c.href ?? '').slice(0, (c.href ?? '').indexOf(':') + 1);
  const host = (c.hostname ?? '').replace(/\.$/, ''); // the DNS root dot is dropped
  const port = c.port ? `:${c.port}` : '';
  const rest = c.pathname === '/' && c.search === '' ? '' : `${c.pathname}${c.search}`; // no fragment
  return { url: `${protocol}//${host}${port}${rest}`, host };
}

describe('url check against web-platform-tests urltestdata.json (typed http(s) subset)', () => {
  it('holds the subset', () => expect(cases.length).toBeGreaterThan(150));

  it.each(cases.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_, c) => {
    const check = checkUrl(c.input);
    if (c.failure) {
      expect(check.valid).toBe(false);
      return;
    }
    // Listed deviation: credentials make a website cell invalid rather than being kept.
    if (c.username || c.password) {
      expect(check).toMatchObject({ valid: false, reason: expect.stringContaining('user name or password') });
      return;
    }
    if (check.valid) {
      expect({ url: check.url, host: check.host }).toEqual(expectedUrl(c));
    } else {
      // Listed deviation: a host outside the public suffix list ("f", "example", "test") is no website.
      expect(check.reason).toMatch(/is not under a known public suffix|has no host/);
    }
  });
});

// Ours: what website columns of lead lists hold. [input, normalised url, or null and a reason fragment]
const leads: Array<[string, string | null, string?]> = [
  ['example.com', 'https://example.com'],
  ['Example.COM', 'https://example.com'],
  ['www.example.com', 'https://www.example.com'],
  ['www.example.com.', 'https://www.example.com'],
  ['https://www.example.com./about', 'https://www.example.com/about'],
  ['http://example.com', 'http://example.com'],
  ['HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
  ['https://example.com/', 'https://example.com'],
  ['https://example.com/?', 'https://example.com'],
  ['https://example.com/#contact', 'https://example.com'],
  ['https://example.com/team/', 'https://example.com/team/'],
  ['https://example.com/?utm_source=x', 'https://example.com/?utm_source=x'],
  ['https://example.com:443', 'https://example.com'],
  ['http://example.com:80/x', 'http://example.com/x'],
  ['example.com:8080', 'https://example.com:8080'],
  ['example.com:8080/admin', 'https://example.com:8080/admin'],
  ['//cdn.example.co.uk/x.js', 'https://cdn.example.co.uk/x.js'],
  ['  acme.io  ', 'https://acme.io'],
  ['acme.io/careers', 'https://acme.io/careers'],
  ['news.bbc.co.uk/sport', 'https://news.bbc.co.uk/sport'],
  ['shop.bücher.de', 'https://shop.xn--bcher-kva.de'],
  ['münchen.de', 'https://xn--mnchen-3ya.de'],
  ['例子.中国', 'https://xn--fsqu00a.xn--fiqs8s'],
  ['công-ty.vn', 'https://xn--cng-ty-ixa.vn'],
  ['xn--mnchen-3ya.de', 'https://xn--mnchen-3ya.de'],
  ['https://example.com/a b', 'https://example.com/a%20b'],
  ['https:\\\\example.com\\about', 'https://example.com/about'],
  ['https:example.com', 'https://example.com'],
  ['https://example.com/%7Efoo', 'https://example.com/%7Efoo'],
  ['10.0.0.1/admin', 'https://10.0.0.1/admin'],
  ['https://[2001:db8::1]/', 'https://[2001:db8::1]'],
  ['acme.github.io', 'https://acme.github.io'],
  ['mailto:ada@example.com', null, 'scheme "mailto" is not accepted'],
  ['MAILTO:ada@example.com', null, 'scheme "mailto" is not accepted'],
  ['ftp://example.com', null, 'scheme "ftp" is not accepted'],
  ['javascript:alert(1)', null, 'scheme "javascript" is not accepted'],
  ['tel:+15555550123', null, 'scheme "tel" is not accepted'],
  ['data:text/html,hi', null, 'scheme "data" is not accepted'],
  ['file:///etc/passwd', null, 'scheme "file" is not accepted'],
  ['https://user:pass@example.com/', null, 'user name or password'],
  ['https://user@example.com/', null, 'user name or password'],
  ['ada@example.com', null, 'user name or password'],
  ['https://exa mple.com', null, 'is not a URL'],
  ['https://', null, 'is not a URL'],
  ['http://example.com:99999', null, 'is not a URL'],
  ['https://exa<mple.com', null, 'is not a URL'],
  ['localhost:3000', null, 'not under a known public suffix'],
  ['https://localhost/', null, 'not under a known public suffix'],
  ['intranet', null, 'not under a known public suffix'],
  ['example', null, 'not under a known public suffix'],
  ['acme.notatld', null, 'not under a known public suffix'],
  ['n/a', null, 'not under a known public suffix'],
  ['-', null, 'not under a known public suffix'],
];

describe('url check on lead-list cases of ours', () => {
  it('has at least 50', () => expect(leads.length).toBeGreaterThanOrEqual(50));

  it.each(leads)('%j → %s %s', (input, url, reason) => {
    const check = checkUrl(input);
    if (url !== null) expect(check).toMatchObject({ valid: true, url });
    else expect(check).toMatchObject({ valid: false, reason: expect.stringContaining(reason as string) });
  });

  it('keeps the registrable domain and public suffix', () => {
    expect(checkUrl('www.example.com.')).toEqual({
      valid: true,
      url: 'https://www.example.com',
      host: 'www.example.com',
      domain: 'example.com',
      publicSuffix: 'com',
    });
  });
});
