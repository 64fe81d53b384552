import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import { type AnyProvider, AppError, truncateInput } from '@glaze/core';
import type { Logger, OpenFileLimit, Pool } from '@glaze/db';
import { type FeedHub, RateLimits } from '@glaze/engine';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AuthCache } from './auth/auth-cache';
import { requireToken } from './auth/authenticate';
import { FailedAuthLimiter, type FailedAuthLimits } from './auth/failed-auth-limiter';
import { securityHeaders } from './auth/security-headers';
import { leftByClient } from './client-gone';
import type { Api, ServerContext } from './context';
import { clientErrorHandler, retryAfterSeconds, sendError } from './errors';
import { describeRoute } from './openapi/describe-route';
import { finishDocument } from './openapi/finish-document';
import { RequestLogs, requestId, tagRequests } from './request-logs';
import { apiRoutes } from './routes/api-routes';
import { healthRoutes } from './routes/health';
import type { SseStream } from './sse/sse-stream';
import { createStaleAutoRun } from './stale-auto-run';
import { unusedConnections } from './unused-connections';
import { jsonParser, validatorCompiler } from './validation';
import { defaultWebDir, serveWeb, wantsPage } from './web';

export interface ServerOptions {
  pool: Pool;
  providers: ReadonlyMap<string, AnyProvider>;
  /** The change-feed hub (FeedHub.start); the server does not close it. */
  hub: FeedHub;
  logger: Logger;
  /** Largest JSON body in bytes. */
  bodyLimit?: number;
  /** Largest CSV upload in bytes. */
  csvLimit?: number;
  /** AES-256 key for `PUT /secrets` (loadOrCreateKey); without it that route answers 500 saying so. */
  secretKey?: Buffer;
  /** The built web app; null to serve none. Defaults to apps/web/dist when it exists. */
  webDir?: string | null;
  /** How long a token's or session's workspace is remembered (revocations still apply within ~1 s). */
  tokenCacheMs?: number;
  /** How often, at most, a cached credential re-checks for revocations. Default 500 ms. */
  revocationCheckMs?: number;
  /** How long a browser session lasts. Default 30 days. */
  sessionMs?: number;
  /** Failed authentications allowed per client address and window (429 beyond). */
  failedAuth?: FailedAuthLimits;
  /**
   * Trust `X-Forwarded-*` from a reverse proxy (Fastify's `trustProxy`): true, a hop count, or the
   * proxy's addresses. Decides the client address (rate limit), https (Secure cookie) and the origin.
   */
  trustProxy?: boolean | string;
  sse?: Partial<ServerContext['sse']>;
  /** The process's open-file limit, named by the 503 a stream beyond `sse.maxStreams` gets. */
  openFiles?: OpenFileLimit;
  /** How long input edits to a table must be quiet before its stale auto-run cells re-run. */
  staleAutoRun?: { quietMs?: number; maxWaitMs?: number };
}

/**
 * Builds the HTTP app (not listening): /healthz, /readyz, the API under /api/v1 with its OpenAPI
 * document, and the web app. Close it with `app.close()`, which also ends open event streams.
 * @example const app = await createServer({ pool, providers: builtinProviders, hub, logger });
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 5 * 1024 * 1024,
    // JSON lines carrying `requestId`, also sent back as X-Request-Id; a line per request at debug only.
    logController: new RequestLogs(),
    genReqId: requestId,
    // Ids are numbers in URLs; a trailing slash should not be a different route.
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: options.trustProxy ?? false,
    // Bad %-escapes, over-long path segments and HTTP parse errors leave in the one error shape too.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply),
    clientErrorHandler,
  });
  // One account of the database per process: requests and the change feed meet the same outage.
  const health = options.hub.health;
  const ctx: ServerContext = {
    pool: options.pool,
    providers: options.providers,
    hub: options.hub,
    auth: new AuthCache(options.pool, {
      ttlMs: options.tokenCacheMs,
      epochCheckMs: options.revocationCheckMs,
    }),
    failedAuth: new FailedAuthLimiter(options.failedAuth),
    sessionMs: options.sessionMs ?? 30 * 24 * 3600 * 1000,
    logger: options.logger,
    health,
    csvLimit: options.csvLimit ?? 1024 ** 3,
    secretKey: options.secretKey,
    sse: {
      heartbeatMs: 15_000,
      maxBufferBytes: 4 * 1024 * 1024,
      maxStreams: Number.POSITIVE_INFINITY,
      ...options.sse,
    },
    openFiles: options.openFiles,
    rateLimits: new RateLimits(options.pool, options.logger),
    staleAutoRun: createStaleAutoRun(options, options.staleAutoRun),
  };
  const streams = new Set<SseStream>();
  const unused = unusedConnections(app.server);

  tagRequests(app);
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by our own code; their schemas document them (OpenAPI) rather than re-check them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonParser);
  app.setErrorHandler((error, request, reply) => {
    // A client's cut-off upload fails with ECONNRESET too: not the database's doing.
    if (!leftByClient(error, request.raw)) health.failed(error);
    return sendError(error, request, reply);
  });

  await app.register(fastifyHelmet, securityHeaders);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Glaze API',
        version: '1.0.0',
        description: 'Self-hosted enrichment tables. See docs/API.md.',
      },
      // Relative: the document is served by the server it describes (paths start with /api/v1).
      servers: [{ url: '/', description: 'The Glaze server serving this document' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'glaze_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: describeRoute,
    transformObject: (input) => finishDocument(input, { retryAfterSeconds }),
  });

  healthRoutes(app, options.pool, health);
  await app.register(
    async (scope) => {
      const api = scope.withTypeProvider() as unknown as Api;
      requireToken(scope, ctx.auth, ctx.failedAuth);
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await apiRoutes(api, ctx, streams);
    },
    { prefix: '/api/v1' },
  );

  const webDir = options.webDir === undefined ? defaultWebDir : options.webDir;
  const web = webDir !== null && (await serveWeb(app, webDir));
  app.setNotFoundHandler((request, reply) => {
    if (web && wantsPage(request.method, request.url))
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return sendError(
      new AppError(
        'not_found',
        `no route for ${request.method} ${truncateInput(request.url.split('?')[0] ?? '')}`,
      ),
      request,
      reply,
    );
  });

  // Event streams never end by themselves, nor do connections that never sent a request: end them
  // so close() does not wait forever.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
    ctx.staleAutoRun.close();
    await ctx.rateLimits.close();
    unused.closeAll();
  });
  return app;
}
