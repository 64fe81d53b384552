import { lookup as dnsLookup } from 'node:dns/promises';
import { type AllowList, parseAllowList } from './allow-list';
import { blockedRangeName, parseIp } from './blocked-ranges';

/** Resolves a host name to every address it has, like `dns.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string }>>;

export interface GuardOptions {
  /** Hosts, IPs and CIDRs that may be reached although private (see `parseAllowList`). */
  allow?: readonly string[] | AllowList;
  /** DNS resolver; tests pass a fake one to prove refusal of names that resolve inward. */
  lookup?: LookupAll;
}

/** Thrown when a URL points at a refused address. Its message says which address and why. */
export class BlockedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedUrlError';
  }
}

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Accepts either raw entries or an already parsed list, so a caller can parse once at boot. */
export function toAllowList(allow: GuardOptions['allow']): AllowList {
  if (allow === undefined) return parseAllowList([]);
  return 'allowsHost' in allow ? allow : parseAllowList(allow);
}

/**
 * Refuses a URL whose host resolves to a loopback, private, CGNAT, link-local, metadata,
 * multicast or unspecified address (SSRF guard). Every address the name resolves to is checked,
 * because the connection may use any of them; an attacker-controlled DNS name that answers
 * with 169.254.169.254 is refused like the literal IP.
 * DNS failures propagate as the resolver's error (its `code`, e.g. ENOTFOUND, is kept).
 */
export async function assertUrlAllowed(url: URL, options: GuardOptions = {}): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedUrlError(`refused ${url.protocol}// URL: only http and https are allowed`);
  }
  const allow = toAllowList(options.allow);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (allow.allowsHost(hostname)) return;
  const literal = parseIp(hostname);
  const addresses = literal
    ? [literal.toString()]
    : (await (options.lookup ?? systemLookup)(hostname)).map((entry) => entry.address);
  for (const text of addresses) {
    const address = parseIp(text);
    if (!address) throw new BlockedUrlError(`refused ${hostname}: resolver returned "${text}", not an IP`);
    const blocked = blockedRangeName(address);
    if (blocked && !allow.allowsAddress(address)) {
      const via = literal ? '' : ` (resolves to ${text})`;
      throw new BlockedUrlError(
        `refused ${hostname}${via}: ${blocked} addresses are not reachable from providers; ` +
          'add the host or address to the HTTP allow list (GLAZE_HTTP_ALLOW) to permit it',
      );
    }
  }
}
