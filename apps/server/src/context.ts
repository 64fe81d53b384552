import type { AnyProvider } from '@glaze/core';
import type { DatabaseHealth, Logger, OpenFileLimit, Pool } from '@glaze/db';
import type { FeedHub, RateLimits, StreamMetrics } from '@glaze/engine';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthCache } from './auth/auth-cache';
import type { FailedAuthLimiter } from './auth/failed-auth-limiter';
import type { StaleAutoRun } from './stale-auto-run';

/** What every route module needs; passed explicitly, no globals. */
export interface ServerContext {
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  hub: FeedHub;
  auth: AuthCache;
  /** Failed authentications per client address (429 beyond the limit). */
  failedAuth: FailedAuthLimiter;
  /** How long a browser session lasts (capped by its token's expiry). */
  sessionMs: number;
  logger: Logger;
  /** Told of every error a request meets: an outage costs two log lines, not one per request. */
  health: DatabaseHealth;
  csvLimit: number;
  /** AES-256 key for workspace secrets; without it secrets can be listed and deleted, not set. */
  secretKey?: Buffer;
  /**
   * Event streams: heartbeat, the bytes a slow client may leave unread, metrics, and how many may be
   * open at once (each holds a socket: see open-streams.ts).
   */
  sse: { heartbeatMs: number; maxBufferBytes: number; metrics?: StreamMetrics; maxStreams: number };
  /** The process's open-file limit, for messages (undefined: not known). */
  openFiles?: OpenFileLimit;
  /** Provider rate limits for the calls the server makes itself (column previews). */
  rateLimits: RateLimits;
  /** Re-runs auto-run columns' stale cells after input edits, debounced per table. */
  staleAutoRun: StaleAutoRun;
}

/** A Fastify scope whose routes are typed by their zod schemas. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
