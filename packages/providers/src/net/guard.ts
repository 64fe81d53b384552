import { lookup as dnsLookup } from 'node:dns/promises';
import { type AllowList, parseAllowList } from './allow-list';
import { blockedRange, parseIp } from './blocked-ranges';

/** Resolves a host name to every address it has, like `dns.lookup(host, { all: true })`. */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string }>>;

export interface GuardOptions {
  /** Hosts, IPs and CIDRs that may be reached although private (see `parseAllowList`). */
  allow?: readonly string[] | AllowList;
  /** DNS resolver; tests pass a fake one to prove refusal of names that resolve inward. */
  lookup?: LookupAll;
}

/** Thrown when a URL points at a refused address. Its message says which host, which address and why. */
export class BlockedUrlError extends Error {
  constructor(
    message: string,
    /** The host as written in the URL. */
    readonly host?: string,
    /** The refused address, when one was (the scheme check has none). */
    readonly address?: string,
  ) {
    super(message);
    this.name = 'BlockedUrlError';
  }
}

export const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Accepts either raw entries or an already parsed list, so a caller can parse once at boot. */
export function toAllowList(allow: GuardOptions['allow']): AllowList {
  if (allow === undefined) return parseAllowList([]);
  return 'allowsHost' in allow ? allow : parseAllowList(allow);
}

/** Refuses anything but http and https (file:, data:, ftp: never reach the network layer). */
export function assertSchemeAllowed(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BlockedUrlError(`refused ${url.protocol}// URL: only http and https are allowed`, url.host);
  }
}

/**
 * The addresses `hostname` may be connected to: the literal itself, or every address the name
 * resolves to. Throws `BlockedUrlError` if any one of them is loopback, private, CGNAT,
 * link-local, metadata, multicast or unspecified (or an IPv6 form of one) and not on the allow
 * list: the connection may use any of them, so one inward answer refuses the name. A host on
 * the allow list is resolved but not checked. DNS failures propagate as the resolver's error
 * (its `code`, e.g. ENOTFOUND, is kept).
 *
 * This is the one place addresses are judged; the dispatcher connects only to what it returns.
 */
export async function resolveAllowed(
  hostname: string,
  allow: AllowList,
  lookup: LookupAll = systemLookup,
): Promise<string[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(host);
  const addresses = literal ? [host] : (await lookup(host)).map((entry) => entry.address);
  if (allow.allowsHost(host)) return addresses;
  for (const text of addresses) {
    const address = parseIp(text);
    if (!address) throw new BlockedUrlError(`refused ${host}: resolver returned "${text}", not an IP`, host);
    const blocked = blockedRange(address);
    if (!blocked || allow.allowsAddress(address)) continue;
    const carried = blocked.embedded ? `, the ${blocked.embedded.form} form of ${blocked.embedded.ipv4}` : '';
    const via = literal ? (carried ? ` (${carried.slice(2)})` : '') : ` (resolves to ${text}${carried})`;
    throw new BlockedUrlError(
      `refused ${host}${via}: ${blocked.name} addresses are not reachable from providers; ` +
        'add the host or address to the HTTP allow list (GLAZE_HTTP_ALLOW) to permit it',
      host,
      text,
    );
  }
  return addresses;
}

/**
 * Checks a URL without connecting: the scheme, then every address its host resolves to (see
 * `resolveAllowed`). `guardedFetch` does not need it (its dispatcher checks at connect time,
 * on the addresses it connects to); it is for callers that want to refuse a URL up front.
 */
export async function assertUrlAllowed(url: URL, options: GuardOptions = {}): Promise<void> {
  assertSchemeAllowed(url);
  await resolveAllowed(url.hostname, toAllowList(options.allow), options.lookup);
}
