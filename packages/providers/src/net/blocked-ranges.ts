import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Address ranges a provider may not reach unless allowed: every one of them leads into the
 * machine or the network Glaze runs in, not to a public API. Ordered so the most specific name
 * wins (the metadata address sits inside link-local and ULA).
 */
const ranges: ReadonlyArray<readonly [string, string]> = [
  ['169.254.169.254/32', 'cloud metadata'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['0.0.0.0/8', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'unique local (ULA)'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];
const parsedRanges = ranges.map(([cidr, name]) => [ipaddr.parseCIDR(cidr), name] as const);

// IPv6 forms that carry an IPv4 address inside: a refused IPv4 must stay refused when written
// as ::ffff:127.0.0.1, 64:ff9b::7f00:1 (NAT64) or 2002:7f00:1:: (6to4).
const nat64 = ipaddr.parseCIDR('64:ff9b::/96');
const sixToFour = ipaddr.parseCIDR('2002::/16');

/** The IPv4 address an IPv6 address embeds, if it is one of the translating forms. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const bytes = address.toByteArray();
  if (address.match(nat64)) return new ipaddr.IPv4(bytes.slice(12));
  if (address.match(sixToFour)) return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** Why an address is refused (`loopback`, `private (RFC 1918)`…), or undefined for a public address. */
export function blockedRangeName(address: Address): string | undefined {
  if (address.kind() === 'ipv6') {
    const inner = embeddedIPv4(address as ipaddr.IPv6);
    if (inner) return blockedRangeName(inner);
  }
  for (const [range, name] of parsedRanges) {
    if (range[0].kind() === address.kind() && address.match(range)) return name;
  }
  return undefined;
}

/** Parses an IP literal, unwrapping IPv4-mapped IPv6; undefined when the text is not an IP. */
export function parseIp(text: string): Address | undefined {
  const bare = text.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}
