/**
 * How a limit is stored in `rate_limits.provider`: the provider's id, or `<provider>:<host>` for its
 * calls to one host (provider ids have no colon; a host may, for its port).
 * @example limitKey('http', 'api.example.com') // 'http:api.example.com'
 */
export function limitKey(provider: string, host?: string | null): string {
  return host ? `${provider}:${host}` : provider;
}

/** The provider and host of a stored key. @example splitLimitKey('http:localhost:8080') // { provider: 'http', host: 'localhost:8080' } */
export function splitLimitKey(key: string): { provider: string; host: string | null } {
  const colon = key.indexOf(':');
  return colon < 0
    ? { provider: key, host: null }
    : { provider: key.slice(0, colon), host: key.slice(colon + 1) };
}
