import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProviderServerOptions {
  /** Requests per second it allows; also its burst (a quota of this many calls, refilled at this rate). */
  limitRps: number;
  /** Each accepted call is answered after latencyMs ± jitterMs (uniform); 429s at once. */
  latencyMs: number;
  jitterMs: number;
}

export interface ProviderServerCounts {
  accepted: number;
  refused: number;
  /** performance.now() of the first and last accepted call's arrival. */
  firstAt: number;
  lastAt: number;
}

export interface ProviderServer {
  url: string;
  counts: ProviderServerCounts;
  close(): Promise<void>;
}

/**
 * A rate-limited API on 127.0.0.1, as OpenAI's behaves: a quota of `limitRps` calls refilled at
 * `limitRps` per second (a token bucket), advertised on every answer as `x-ratelimit-limit-requests`,
 * `x-ratelimit-remaining-requests` and `x-ratelimit-reset-requests` (time until the quota is whole,
 * e.g. `35ms`); a call above it is answered 429 with `Retry-After` (whole seconds until a call is
 * allowed again). It counts what it accepted and refused: a 429 is a call sent above the limit.
 * @example const api = await startProviderServer({ limitRps: 200, latencyMs: 300, jitterMs: 200 })
 */
export async function startProviderServer(options: ProviderServerOptions): Promise<ProviderServer> {
  const { limitRps } = options;
  const counts: ProviderServerCounts = { accepted: 0, refused: 0, firstAt: 0, lastAt: 0 };
  let tokens = limitRps;
  let refilledAt = performance.now();
  const server: Server = createServer((request, response) => {
    request.resume();
    const now = performance.now();
    tokens = Math.min(limitRps, tokens + ((now - refilledAt) * limitRps) / 1000);
    refilledAt = now;
    const accepted = tokens >= 1;
    if (accepted) tokens -= 1;
    const headers = {
      'content-type': 'application/json',
      'x-ratelimit-limit-requests': String(limitRps),
      'x-ratelimit-remaining-requests': String(Math.floor(tokens)),
      'x-ratelimit-reset-requests': `${Math.round(((limitRps - tokens) * 1000) / limitRps)}ms`,
    };
    if (!accepted) {
      counts.refused++;
      const retryAfter = Math.max(1, Math.ceil((1 - tokens) / limitRps));
      response.writeHead(429, { ...headers, 'retry-after': String(retryAfter) });
      response.end('{"error":{"message":"Rate limit reached for requests"}}');
      return;
    }
    counts.accepted++;
    counts.firstAt ||= now;
    counts.lastAt = now;
    const delay = options.latencyMs + (Math.random() * 2 - 1) * options.jitterMs;
    setTimeout(() => {
      response.writeHead(200, headers);
      response.end(JSON.stringify({ ok: true, n: counts.accepted }));
    }, delay);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
