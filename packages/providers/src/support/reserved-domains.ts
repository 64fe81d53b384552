/**
 * RFC 2606 / RFC 6761 names reserved for documentation and testing: `example.com`, `.net`, `.org`
 * and anything under them, and the `.example`, `.test`, `.invalid` and `.localhost` top-level
 * domains. Nobody's inbox lives there, so they are neither free mail nor disposable.
 * @example isReservedDomain('mail.example.org') // true
 */
export function isReservedDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, '');
  if (/(?:^|\.)example\.(?:com|net|org)$/.test(name)) return true;
  const tld = name.slice(name.lastIndexOf('.') + 1);
  return tld === 'example' || tld === 'test' || tld === 'invalid' || tld === 'localhost';
}
