import { assertUrlAllowed, type GuardOptions, toAllowList } from './guard';

export interface GuardedFetchOptions extends GuardOptions {
  /** Redirects followed before giving up. Each hop is checked by the guard again. */
  maxRedirects?: number;
}

export class TooManyRedirectsError extends Error {
  constructor(max: number, url: string) {
    super(`more than ${max} redirects (last to ${url})`);
    this.name = 'TooManyRedirectsError';
  }
}

// Headers that may follow a redirect to another origin. Everything else (Authorization, API-key
// headers, cookies) is dropped there: a redirect must not carry a secret to a host the user did
// not name.
const crossOriginSafe = new Set(['accept', 'accept-language', 'user-agent', 'content-type']);

/**
 * `fetch` with the SSRF guard: checks the URL's resolved addresses, follows redirects by hand
 * (`redirect: 'manual'`) so every hop is checked too, and stops after `maxRedirects` (5).
 *
 * Known gap: fetch resolves the name again after our check, so a DNS answer that changes between
 * the two (rebinding with TTL 0) can slip through; pinning the address needs a custom undici
 * dispatcher.
 */
export async function guardedFetch(
  input: string | URL,
  init: RequestInit = {},
  options: GuardedFetchOptions = {},
): Promise<Response> {
  const guard = { allow: toAllowList(options.allow), lookup: options.lookup };
  const max = options.maxRedirects ?? 5;
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let headers = new Headers(init.headers);
  let body = init.body;
  for (let hop = 0; ; hop++) {
    await assertUrlAllowed(url, guard);
    const response = await fetch(url, { ...init, method, headers, body, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
      return response;
    }
    await response.body?.cancel();
    const next = new URL(location, url);
    if (hop >= max) throw new TooManyRedirectsError(max, next.toString());
    // 303, and 301/302 after POST, turn into a body-less GET, as browsers do (RFC 9110 §15.4).
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers.delete('content-type');
      headers.delete('content-length');
    }
    if (next.origin !== url.origin) {
      const kept = new Headers();
      for (const [name, value] of headers) if (crossOriginSafe.has(name)) kept.set(name, value);
      headers = kept;
    }
    url = next;
  }
}
