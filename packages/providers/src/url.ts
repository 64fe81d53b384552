import { defineProvider, displayUrl, type Json } from '@glaze/core';
import { z } from 'zod';
import { parseDomain } from './support/parse-domain';

const configSchema = z.object({
  input: z.string().default('{{url}}').describe('Template for the URL or bare domain to normalise'),
});

export type UrlCheck =
  | { valid: true; url: string; host: string; domain: string | null; publicSuffix: string | null }
  | { valid: false; input: string; reason: string };

/** The schemes a website cell may hold; anything else (`mailto:`, `ftp:`, `javascript:`) is invalid. */
export const acceptedSchemes: readonly string[] = ['http', 'https'];

// A scheme is letters then `:`; `example.com:8080` and `localhost:3000` are a host and a port.
const schemePrefix = /^([a-z][a-z0-9+.-]*):(?!\d+(?:[/?#]|$))/i;

/**
 * Normalises what people paste as a website with the WHATWG URL parser (`new URL`):
 * `Example.com/` → `https://example.com`. Adds https:// when there is no scheme, accepts only
 * `acceptedSchemes`, lower-cases and punycodes the host, drops the default port, the fragment,
 * an empty `?`, the root path's trailing slash and the DNS root dot (`example.com.`). A user name or password is
 * refused, not kept: a website address has none, and a cell would show the password.
 * `valid` needs a host under a known public suffix (or an IP address).
 * @example checkUrl('mailto:ada@example.com') // { valid: false, reason: 'scheme "mailto" is not accepted …' }
 */
export function checkUrl(raw: string): UrlCheck {
  const input = raw.trim();
  const invalid = (reason: string): UrlCheck => ({ valid: false, input, reason });
  if (input === '') return invalid('empty');
  const scheme = schemePrefix.exec(input)?.[1]?.toLowerCase();
  if (scheme !== undefined && !acceptedSchemes.includes(scheme)) {
    return invalid(`scheme "${scheme}" is not accepted: use ${acceptedSchemes.join(' or ')}`);
  }
  // `//cdn.example.com` is scheme-relative; keep its host rather than reading it as a path.
  const withScheme = scheme !== undefined ? input : `https://${input.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid(`"${input}" is not a URL`);
  }
  if (url.username !== '' || url.password !== '') {
    return invalid('has a user name or password before "@"; a website address has none');
  }
  url.hash = '';
  if (url.search === '') url.search = ''; // `?` with nothing after it
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const host = url.hostname;
  if (host === '') return invalid(`"${input}" has no host`);
  const parsed = parseDomain(host);
  if (!parsed.isIp && !(parsed.domain && parsed.isIcann))
    return invalid(`host "${host}" is not under a known public suffix`);
  let text = url.toString();
  if (url.pathname === '/' && url.search === '') text = text.slice(0, -1);
  return {
    valid: true,
    url: text,
    host,
    domain: parsed.isIp ? null : parsed.domain,
    publicSuffix: parsed.isIp ? null : parsed.publicSuffix,
  };
}

/** URL/domain normalisation with the registrable domain from the public suffix list (tldts). */
export const urlProvider = defineProvider({
  id: 'url',
  group: 'validate',
  description: 'Normalises a URL or domain and finds its host and registrable domain',
  configSchema,
  display: displayUrl,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    return { kind: 'ok', value: checkUrl(text) as Json };
  },
});
