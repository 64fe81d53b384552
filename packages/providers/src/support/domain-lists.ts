import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The free-mail and disposable-domain lists hold ~220,000 domains between them. They load on
 * first use, not at import, so a worker that never validates an email does not pay ~50 MB and
 * ~100 ms at boot.
 */
let freeDomains: ReadonlySet<string> | undefined;
let disposableDomains: ReadonlySet<string> | undefined;
let disposableWildcards: ReadonlySet<string> | undefined;

/** `free-email-domains-list`: webmail providers (gmail.com, yahoo.co.uk…), refreshed weekly upstream. */
export function isFreeMailDomain(domain: string): boolean {
  freeDomains ??= (require('free-email-domains-list') as { DOMAINS: Set<string> }).DOMAINS;
  return freeDomains.has(domain);
}

/** `disposable-email-domains`: throwaway inboxes; its wildcard list also covers every subdomain. */
export function isDisposableDomain(domain: string): boolean {
  disposableDomains ??= new Set(require('disposable-email-domains') as string[]);
  disposableWildcards ??= new Set(require('disposable-email-domains/wildcard.json') as string[]);
  if (disposableDomains.has(domain)) return true;
  for (let cut = domain.indexOf('.'); cut >= 0; cut = domain.indexOf('.', cut + 1)) {
    if (disposableWildcards.has(domain.slice(cut + 1))) return true;
  }
  return disposableWildcards.has(domain);
}
