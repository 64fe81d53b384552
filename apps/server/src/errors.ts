import { AppError, type ErrorCode, toError } from '@glaze/core';
import { isDatabaseUnavailable } from '@glaze/db';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; path: string | null };
}

/** Fastify's own client errors, by code, as Glaze codes. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/**
 * `Retry-After` of every 503, in seconds: about how often the server probes a database that went
 * away (DatabaseHealth backs off to 5 s), so a client that waits this long does not ask in vain twice.
 */
export const retryAfterSeconds = 5;

/**
 * Every error leaves as `{"error":{"code","message","path"}}`. A client error keeps its 4xx status;
 * a database that cannot be reached is a 503 `database_unavailable` (logged once per outage by the
 * server's DatabaseHealth, not here); only what is left — a bug — is a 500, logged with its stack and
 * never shown.
 */
export function toErrorReply(thrown: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  const error = toError(thrown) as FastifyError & { validationContext?: string };
  if (error instanceof AppError) {
    // A malformed id in the URL names nothing that exists: answer like an unknown id.
    if ((error as AppError & { validationContext?: string }).validationContext === 'params') {
      return reply(new AppError('not_found', `${request.url.split('?')[0]} does not exist`));
    }
    return reply(error);
  }
  if (isDatabaseUnavailable(error)) {
    return reply(new AppError('database_unavailable', 'the database is unreachable; retry in a few seconds'));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      fastifyCodes[error.code] ??
      (status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'bad_request');
    return { status, body: { error: { code, message: clientMessage(code, error.message), path: null } } };
  }
  request.log.error({ err: error }, 'request failed');
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'internal error; see the server log', path: null } },
  };
}

function reply(error: AppError): { status: number; body: ErrorBody } {
  return {
    status: error.status,
    body: { error: { code: error.code, message: error.detail, path: error.path ?? null } },
  };
}

function clientMessage(code: ErrorCode, fallback: string): string {
  switch (code) {
    case 'unsupported_media_type':
      return `${fallback}; send JSON as application/json (CSV imports as text/csv)`;
    default:
      return fallback;
  }
}

export function sendError(thrown: unknown, request: FastifyRequest, replyTo: FastifyReply): FastifyReply {
  const { status, body } = toErrorReply(thrown, request);
  if (status === 503) replyTo.header('retry-after', String(retryAfterSeconds));
  // A 429 (failed-auth limit) says when its window ends.
  const wait = (thrown as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (status === 429 && typeof wait === 'number') replyTo.header('retry-after', String(wait));
  return replyTo.code(status).type('application/json').send(body);
}
