import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { hasClientGoneCode } from './client-gone';

/**
 * An incoming `X-Request-Id` kept as the request's id: what a proxy or a client's own tracing puts
 * there (a UUID, a ULID, `abc-123.4`). Anything else — longer than 128 characters, spaces, quotes,
 * control characters that could forge a log line or a header — is replaced by a fresh UUID.
 */
const saneRequestId = /^[\w.:@/+=-]{1,128}$/;

/** Fastify's `genReqId`: the caller's `X-Request-Id` when sane, else a random UUID. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && saneRequestId.test(given) ? given : randomUUID();
}

/**
 * Fastify's request log lines, quieter: one `request completed` line per request at debug (at info a
 * busy grid's hundreds of requests a minute would drown the worker's lines), a client that hung up
 * (a closed tab, an aborted download or upload) at debug too, never error. Errors a request meets
 * are logged by the error handler (errors.ts), once, with the request's id.
 */
export class RequestLogs extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    };
    if (!error) reply.log.debug(fields, 'request completed');
    else if (closedByClient(error, request.raw)) reply.log.debug(fields, 'client closed the connection');
    else reply.log.error({ ...fields, err: error }, 'request errored');
  }

  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (closedByClient(error, request.raw)) reply.log.debug('client closed the connection mid-response');
    else reply.log.warn({ err: error }, 'response ended with an error after its headers were sent');
  }
}

function closedByClient(error: Error, request: IncomingMessage): boolean {
  return hasClientGoneCode(error) || request.destroyed;
}

/**
 * Sends each request's id back as X-Request-Id — on the raw response, so hijacked replies (event
 * streams) carry it too — and notes a client that left before its reply, at debug.
 */
export function tagRequests(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.setHeader('x-request-id', request.id);
  });
  app.addHook('onRequestAbort', async (request) => {
    request.log.debug(
      { method: request.method, url: request.url },
      'client closed the connection before the reply',
    );
  });
}
