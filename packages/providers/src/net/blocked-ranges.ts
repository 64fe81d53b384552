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
  // RFC 8215: an operator's own NAT64 prefix; where the IPv4 address sits depends on the prefix
  // length the operator chose, so it cannot be unpacked and checked like 64:ff9b::/96.
  ['64:ff9b:1::/48', 'local-use NAT64 (RFC 8215)'],
  ['fc00::/7', 'unique local (ULA)'],
  ['fe80::/10', 'link-local'],
  // Deprecated (RFC 3879) but still routed by stacks that were configured with it.
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];
const parsedRanges = ranges.map(([cidr, name]) => [ipaddr.parseCIDR(cidr), name] as const);

/**
 * IPv6 forms that carry an IPv4 address inside, and where it sits. A refused IPv4 must stay
 * refused when written as one of them: a Linux host connects to ::ffff:127.0.0.1 and, on an
 * old stack, ::127.0.0.1 as loopback; a NAT64 gateway forwards 64:ff9b::7f00:1 and 6to4 or
 * Teredo relays forward to the embedded address.
 */
const embeddings: ReadonlyArray<{
  range: [ipaddr.IPv6, number];
  form: string;
  ipv4: (bytes: number[]) => number[];
}> = [
  {
    range: ipaddr.parseCIDR('::ffff:0:0/96') as [ipaddr.IPv6, number],
    form: 'IPv4-mapped',
    ipv4: (b) => b.slice(12),
  },
  // RFC 4291 §2.5.5.1, deprecated; :: and ::1 are matched by name before this.
  {
    range: ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number],
    form: 'IPv4-compatible',
    ipv4: (b) => b.slice(12),
  },
  // RFC 2765/6145 (SIIT) IPv4-translated addresses.
  {
    range: ipaddr.parseCIDR('::ffff:0:0:0/96') as [ipaddr.IPv6, number],
    form: 'IPv4-translated',
    ipv4: (b) => b.slice(12),
  },
  {
    range: ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number],
    form: 'NAT64',
    ipv4: (b) => b.slice(12),
  },
  { range: ipaddr.parseCIDR('2002::/16') as [ipaddr.IPv6, number], form: '6to4', ipv4: (b) => b.slice(2, 6) },
  // RFC 4380: the client's IPv4 address is the last 32 bits, inverted.
  {
    range: ipaddr.parseCIDR('2001::/32') as [ipaddr.IPv6, number],
    form: 'Teredo',
    ipv4: (b) => b.slice(12).map((byte) => byte ^ 0xff),
  },
];
const exactIPv6 = ipaddr.parseCIDR('::/127');

/** Why an address is refused; `embedded` is set when an IPv6 address was refused for the IPv4 it carries. */
export interface BlockedRange {
  name: string;
  embedded?: { ipv4: string; form: string };
}

/** Why an address is refused (`loopback`, `private (RFC 1918)`…), or undefined for a public address. */
export function blockedRange(address: Address): BlockedRange | undefined {
  if (address.kind() === 'ipv6' && !address.match(exactIPv6)) {
    const v6 = address as ipaddr.IPv6;
    for (const { range, form, ipv4 } of embeddings) {
      if (!v6.match(range)) continue;
      const inner = new ipaddr.IPv4(ipv4(v6.toByteArray()));
      const name = blockedRange(inner)?.name;
      return name ? { name, embedded: { ipv4: inner.toString(), form } } : undefined;
    }
  }
  for (const [range, name] of parsedRanges) {
    if (range[0].kind() === address.kind() && address.match(range)) return { name };
  }
  return undefined;
}

/** Parses an IP literal, unwrapping IPv4-mapped IPv6; undefined when the text is not an IP. */
export function parseIp(text: string): Address | undefined {
  const bare = text.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}
