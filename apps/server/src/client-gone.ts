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
