import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Aborts when the connection closes before the reply has been sent: the client gave up (a grid that
 * moved on to the next search, a closed tab, a curl stopped with Ctrl-C). Read routes pass it to the
 * engine, which cancels their statements in Postgres. Fastify's `request.signal` is not this: it
 * follows the request stream, which closes once a body is read, before any reply.
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Codes of a connection the client closed or reset: its own doing, not the server's fault. */
const clientGoneCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
]);

/** Whether an error carries the code of a connection the client closed or reset (it may be the database's too). */
export function hasClientGoneCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && clientGoneCodes.has(code);
}

/**
 * Whether a request's error is its client leaving: an upload cut off halfway fails with the socket's
 * own `aborted` (ECONNRESET), a code a lost database connection uses too. Only with the request's
 * socket destroyed is it the client's; a database that resets a connection while the client waits
 * is an outage.
 */
export function leftByClient(error: unknown, request: IncomingMessage | undefined): boolean {
  return hasClientGoneCode(error) && request?.socket?.destroyed === true;
}
