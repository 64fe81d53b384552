import { defineProvider, type Json } from '@glaze/core';
import { parse as parseDomain } from 'tldts';
import { z } from 'zod';

const configSchema = z.object({
  input: z.string().default('{{url}}').describe('Template for the URL or bare domain to normalise'),
});

export type UrlCheck =
  | { valid: true; url: string; host: string; domain: string | null; publicSuffix: string | null }
  | { valid: false; input: string; reason: string };

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Normalises what people paste as a website: `Example.com/` → `https://example.com`.
 * Adds https:// when there is no scheme, lower-cases the host (WHATWG URL does that and the
 * default port), drops the fragment and the root path's trailing slash.
 * `valid` needs a host under a known public suffix (or an IP address).
 */
export function checkUrl(raw: string): UrlCheck {
  const input = raw.trim();
  const invalid = (reason: string): UrlCheck => ({ valid: false, input, reason });
  if (input === '') return invalid('empty');
  // `//cdn.example.com` is scheme-relative; keep its host rather than reading it as a path.
  const withScheme = hasScheme.test(input) ? input : `https://${input.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid(`"${input}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return invalid(`scheme "${url.protocol.slice(0, -1)}" is not http or https`);
  }
  url.hash = '';
  const host = url.hostname;
  const parsed = parseDomain(host);
  if (!parsed.isIp && !parsed.domain) return invalid(`host "${host}" is not under a known public suffix`);
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
  description: 'Normalises a URL or domain and finds its host and registrable domain',
  configSchema,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    return { kind: 'ok', value: checkUrl(text) as Json };
  },
});
