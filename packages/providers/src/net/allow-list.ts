import ipaddr from 'ipaddr.js';
import { parseIp } from './blocked-ranges';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Hosts and networks an operator lets providers reach although they are private, e.g. an
 * internal CRM or a local LLM. Entries: `crm.internal`, `*.corp.example` (any subdomain),
 * `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd12::/16`.
 */
export interface AllowList {
  /** True when the URL's host name itself is allowed (no address check is made then). */
  allowsHost(hostname: string): boolean;
  /** True when a resolved address is allowed. */
  allowsAddress(address: Address): boolean;
}

/**
 * Builds an allow list, throwing an error that names the entry when one is neither a host name
 * nor an IP or CIDR. The app passes `GLAZE_HTTP_ALLOW` split on commas.
 * @example parseAllowList(['127.0.0.1', '10.1.0.0/16', '*.corp.example'])
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const networks: [Address, number][] = [];
  entries.forEach((raw, index) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '') return;
    if (entry.includes('/')) {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`allow[${index}]: "${raw}" is not a valid CIDR`);
      networks.push(ipaddr.parseCIDR(entry));
      return;
    }
    const ip = parseIp(entry);
    if (ip) {
      networks.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      return;
    }
    const host = entry.startsWith('*.') ? entry.slice(2) : entry;
    if (!/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host)) {
      throw new Error(`allow[${index}]: "${raw}" is not a host name, IP address or CIDR`);
    }
    if (entry.startsWith('*.')) suffixes.push(`.${host}`);
    else hosts.add(host);
  });
  return {
    allowsHost(hostname) {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      return hosts.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
    allowsAddress(address) {
      return networks.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
    },
  };
}
