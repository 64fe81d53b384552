import { type Agent, type RequestInit as UndiciRequestInit, fetch as undiciFetch } from 'undici';
import { assertSchemeAllowed, BlockedUrlError, type GuardOptions } from './guard';
import { createGuardedAgent } from './guarded-agent';

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

// One guarded dispatcher (and so one connection pool) per options object: the registry builds
// its options once, so every http and llm call of a process shares keep-alive connections.
const agents = new WeakMap<GuardedFetchOptions, Agent>();

function agentFor(options: GuardedFetchOptions): Agent {
  let agent = agents.get(options);
  if (!agent) {
    agent = createGuardedAgent(options);
    agents.set(options, agent);
  }
  return agent;
}

/**
 * `fetch` with the SSRF guard: only http(s), and every connection goes through a dispatcher
 * that resolves the host once, checks every address and connects only to those
 * (`createGuardedAgent`), so DNS rebinding between a check and the connection is impossible.
 * Redirects are followed by hand (`redirect: 'manual'`) through the same dispatcher, so every
 * hop is checked, and stop after `maxRedirects` (5). A refusal throws `BlockedUrlError`.
 */
export async function guardedFetch(
  input: string | URL,
  init: RequestInit = {},
  options: GuardedFetchOptions = {},
): Promise<Response> {
  const dispatcher = agentFor(options);
  const max = options.maxRedirects ?? 5;
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let headers = new Headers(init.headers);
  let body = init.body;
  for (let hop = 0; ; hop++) {
    assertSchemeAllowed(url);
    const response = await send(url, { ...init, method, headers, body, redirect: 'manual' }, dispatcher);
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

/**
 * undici's own fetch, so the dispatcher and the fetch that drives it are one version (Node's
 * bundled fetch may be another major). A refusal inside the dispatcher surfaces as fetch's
 * `TypeError: fetch failed` with the refusal as its cause; it is thrown as itself.
 */
async function send(url: URL, init: RequestInit, dispatcher: Agent): Promise<Response> {
  try {
    // The DOM and undici typings describe the same fetch; only the declarations differ.
    return (await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher })) as unknown as Response;
  } catch (error) {
    if (error instanceof TypeError && error.cause instanceof BlockedUrlError) throw error.cause;
    throw error;
  }
}
