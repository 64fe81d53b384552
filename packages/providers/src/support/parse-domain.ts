import { createRequire } from 'node:module';
import type { parse } from 'tldts';

const require = createRequire(import.meta.url);

let tldts: { parse: typeof parse } | undefined;

/**
 * tldts's `parse` (registrable domain and public suffix from the public suffix list), loaded on
 * first use, not at import: its ~10,000-rule list takes ~5 MB of a process's RSS, which a CLI or
 * worker that never checks an email or a URL need not hold.
 * @example parseDomain('www.example.co.uk').domain // 'example.co.uk'
 */
export function parseDomain(host: string): ReturnType<typeof parse> {
  tldts ??= require('tldts') as { parse: typeof parse };
  return tldts.parse(host);
}
