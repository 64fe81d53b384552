import { createHash } from 'node:crypto';
import type { Idempotency } from '@glaze/engine';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The request's `Idempotency-Key` (validated by idempotencyHeaders), a quoted string's quotes dropped. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const given = request.headers['idempotency-key'];
  if (typeof given !== 'string') return undefined;
  return given.startsWith('"') ? given.slice(1, -1) : given;
}

/**
 * The request's `Idempotency-Key` and a hash of what it asks for: its method, route, path ids and
 * body. A retry sends the same, so its hash matches; the same key on another request does not, and is
 * refused.
 */
export function idempotencyOf(request: FastifyRequest): Idempotency | undefined {
  const key = idempotencyKeyOf(request);
  if (key === undefined) return undefined;
  const asked = JSON.stringify([request.method, request.routeOptions.url, request.params, request.body]);
  return { key, request: createHash('sha256').update(asked).digest('base64url') };
}

/** Marks an answer an earlier request with the same key gave (its runs, its rows' ids). */
export function markReplayed(reply: FastifyReply, replayed: boolean): FastifyReply {
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply;
}
