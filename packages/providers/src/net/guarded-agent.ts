import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { type GuardOptions, resolveAllowed, toAllowList } from './guard';

export interface GuardedAgentOptions extends GuardOptions {
  /** Extra TLS options for every connection, e.g. `{ ca }` to trust a private CA (tests). */
  tls?: Pick<ConnectionOptions, 'ca'>;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici dispatcher that connects only to addresses the SSRF guard has checked, so the
 * checked address IS the connected one: DNS rebinding (a name that answers public to a check
 * and 127.0.0.1 to the connection) has no second answer to exploit.
 *
 * - A host name is resolved once per connection by `resolveAllowed` inside the socket's
 *   `lookup` (the hook `net.connect` calls instead of `dns.lookup`); the socket then connects to
 *   those addresses, with Node's happy-eyeballs across them.
 * - An IP literal never reaches `lookup`, so the connector checks it before connecting.
 * - TLS still names the host: undici connects to `hostname` but sends `servername` (SNI) and
 *   verifies the certificate against the URL's host, and the Host header is the URL's.
 *
 * Pooled keep-alive connections were checked when they were opened and stay on that address.
 * Pattern as in urllib's HttpAgent (undici `connect.lookup`) and request-filtering-agent.
 */
export function createGuardedAgent(options: GuardedAgentOptions = {}): Agent {
  const allow = toAllowList(options.allow);
  const lookup = (hostname: string, dns: LookupOptions, callback: LookupCallback): void => {
    resolveAllowed(hostname, allow, options.lookup).then(
      (addresses) => {
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => !dns.family || dns.family === entry.family);
        const first = entries[0];
        if (!first) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          callback(error, dns.all ? [] : '');
        } else if (dns.all) callback(null, entries);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, dns.all ? [] : ''),
    );
  };
  const connect = buildConnector({ ...options.tls, lookup });
  return new Agent({
    connect(connectOptions, callback) {
      if (isIP(connectOptions.hostname.replace(/^\[|\]$/g, '')) === 0) {
        connect(connectOptions, callback);
        return;
      }
      resolveAllowed(connectOptions.hostname, allow, options.lookup).then(
        () => connect(connectOptions, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
}
