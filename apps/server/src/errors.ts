import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorCode, toError, truncateInput } from '@glaze/core';
import { type DatabaseOutage, databaseOutage } from '@glaze/db';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { leftByClient } from './client-gone';
import { outOfFiles } from './open-streams';

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
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

/** Fastify's messages repeat the whole URL; ours say what is wrong with it. */
const fastifyMessages: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL has a malformed %-escape (a % must be followed by two hex digits of UTF-8)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment of the URL is longer than 100 characters',
};

/**
 * Postgres errors that only client data can cause, once validation has run: text it cannot store
 * (U+0000, bad UTF-8), a value too large for an index entry (a btree row is at most ~2,700 bytes)
 * or for its column. 22P02 (invalid text for a type) is not here: every id and number is checked
 * before SQL, so one that still reaches Postgres is our bug and stays a logged 500.
 */
const clientDataErrors: Record<string, string> = {
  '22P05': 'a value holds a character the database cannot store (U+0000)',
  '22021': 'a value is not valid UTF-8',
  '54000': 'a value is too large to store or index (names are at most 200 characters)',
  '22001': 'a value is longer than its field allows',
};

/** What a 503 tells the client about each kind of outage (the server log and /readyz say the same). */
export const outageMessages: Record<DatabaseOutage, string> = {
  unreachable: 'the database is unreachable; retry in a few seconds',
  'too many connections':
    'the database refuses connections: it has as many clients as its max_connections allows; retry in a few seconds',
  'out of disk space':
    'the database is out of disk space: nothing can be saved until space is freed on its disk; retry then',
  'read-only':
    'the database is read-only (a standby, or in read-only mode): nothing can be saved until it takes writes again; retry then',
};

/**
 * A statement cancelled by a `statement_timeout` set on the database or on Glaze's role (some hosts
 * set one): the same request would meet it again, so the message says what to change.
 */
const statementTimeoutMessage =
  "the database cancelled this request's statement at the statement_timeout set on the database or on Glaze's role; imports, exports and runs over large tables need longer: lift it for Glaze's role (ALTER ROLE <role> SET statement_timeout = 0) or raise it";

/**
 * A statement cancelled by the database with a message that does not say why (another language than
 * English, or an operator's pg_cancel_backend): both causes, and what to change for the first.
 */
const cancelledMessage =
  "the database cancelled this request's statement: a statement_timeout set on the database or on Glaze's role (imports, exports and runs over large tables need longer: ALTER ROLE <role> SET statement_timeout = 0), or an operator cancelled it";

/** A request that needed a file or a connection while the process had no file descriptor free. */
const outOfFilesMessage =
  'the server has no file descriptors free (its open-file limit, ulimit -n, is reached); retry in a few seconds; if it lasts, raise the limit (LimitNOFILE under systemd) or lower GLAZE_MAX_STREAMS';

let outOfFilesLoggedAt = 0;

/** One warning per 10 s while the process is out of file descriptors, not one per request refused. */
function warnOutOfFiles(request: FastifyRequest, error: Error): void {
  if (Date.now() - outOfFilesLoggedAt < 10_000) return;
  outOfFilesLoggedAt = Date.now();
  request.log.warn({ err: error }, 'out of file descriptors: requests get 503 server_busy until some close');
}

/** Longest error message sent: a backstop behind quoting input with `quoteInput` where it is echoed. */
const maxMessageChars = 500;

/**
 * `Retry-After` of every 503, in seconds: about how often the server probes a database that went
 * away (DatabaseHealth backs off to 5 s), so a client that waits this long does not ask in vain twice.
 */
export const retryAfterSeconds = 5;

/** A reply nobody reads: the client cut off its upload, or went away while its statements ran. */
function clientClosed(request: FastifyRequest, error: Error): { status: number; body: ErrorBody } {
  request.log.debug({ err: error }, 'the client went away before its reply');
  return {
    status: 499,
    body: { error: { code: 'bad_request', message: 'the client closed the request', path: null } },
  };
}

/**
 * Every error leaves as `{"error":{"code","message","path"}}`. A client error keeps its 4xx status;
 * a database that cannot be reached or cannot take writes (disk full, read-only) is a 503
 * `database_unavailable` that says which (logged once per outage by the server's DatabaseHealth, not here); only what is left — a bug — is a 500, logged with its stack and
 * never shown.
 */
export function toErrorReply(thrown: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  const error = toError(thrown) as FastifyError & { validationContext?: string };
  if (error instanceof AppError) {
    // A malformed id in the URL names nothing that exists: answer like an unknown id.
    if ((error as AppError & { validationContext?: string }).validationContext === 'params') {
      return reply(
        new AppError('not_found', `${truncateInput(request.url.split('?')[0] ?? '')} does not exist`),
      );
    }
    return reply(error);
  }
  if (leftByClient(error, request.raw)) return clientClosed(request, error);
  const outage = databaseOutage(error);
  if (outage) return reply(new AppError('database_unavailable', outageMessages[outage]));
  const databaseMessage = isPostgresError(error) ? clientDataErrors[error.code] : undefined;
  if (databaseMessage) {
    request.log.warn({ err: error }, 'client data refused by the database');
    return reply(new AppError('validation_failed', databaseMessage));
  }
  // A statement the database cancelled while its client still waits: not ours (cancel-on-abort.ts
  // cancels only for a client that went away, below), so its statement_timeout or an operator's
  // pg_cancel_backend. Postgres tells them apart only in its message, in the server's language.
  if (isPostgresError(error) && error.code === '57014') {
    const timeout = /statement timeout/.test(error.message);
    if (timeout || request.raw?.socket?.destroyed === false) {
      request.log.warn(
        { err: error },
        timeout
          ? "a statement ran past the database's statement_timeout"
          : 'the database cancelled a statement (a statement_timeout, or an operator)',
      );
      return reply(new AppError('database_timeout', timeout ? statementTimeoutMessage : cancelledMessage));
    }
  }
  if (outOfFiles(error)) {
    warnOutOfFiles(request, error);
    return reply(new AppError('server_busy', outOfFilesMessage));
  }
  // cancelled because the client went away (client-gone.ts)
  if (error.code === '57014' && request.raw.socket?.destroyed !== false) return clientClosed(request, error);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      fastifyCodes[error.code] ??
      (status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'bad_request');
    const message = fastifyMessages[error.code] ?? error.message;
    return { status, body: { error: { code, message: clientMessage(code, message), path: null } } };
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
    body: {
      error: {
        code: error.code,
        message: truncateInput(error.detail, maxMessageChars),
        path: error.path ?? null,
      },
    },
  };
}

/** A pg DatabaseError (it carries Postgres's SQLSTATE in `code`). */
function isPostgresError(error: Error): error is Error & { code: string } {
  return 'severity' in error && 'routine' in error && typeof (error as { code?: unknown }).code === 'string';
}

function clientMessage(code: ErrorCode, fallback: string): string {
  const message = truncateInput(fallback, maxMessageChars);
  switch (code) {
    case 'unsupported_media_type':
      return `${message}; send JSON as application/json (CSV imports as text/csv)`;
    default:
      return message;
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

/**
 * Errors Node's HTTP parser meets before Fastify sees a request — headers over 16 KiB (431), a
 * request that is not HTTP (400), one too slow to arrive (408) — answered in the same shape as
 * every other error, then the connection is closed (Fastify's default writes its own shape).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request headers are larger than 16 KiB']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'bad_request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ error: { code, message, path: null } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
