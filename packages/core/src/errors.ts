/** Every error a person can see carries a stable code, an HTTP status and, where it applies, the field path. */
export const errorCodes = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  /** A path segment longer than the router takes (100 characters). */
  uri_too_long: 414,
  /** The request's headers are larger than the server reads (Node's 16 KiB). */
  headers_too_large: 431,
  /** The client took too long to send its request. */
  request_timeout: 408,
  unauthorized: 401,
  /** Refused whoever asks, e.g. a cross-origin request carrying the session cookie. */
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** An `Idempotency-Key` sent again with a different request: a new request needs a new key. */
  idempotency_key_reused: 422,
  /** Too many failed attempts; retry after `Retry-After` seconds. */
  rate_limited: 429,
  internal: 500,
  /**
   * The database could not be reached (down, restarting, network gone) or cannot take writes (its
   * disk full, read-only): retry after `Retry-After`.
   */
  database_unavailable: 503,
  /**
   * The server holds as many connections as its open-file limit (`ulimit -n`) leaves room for (event
   * streams, or every file it may open): retry after `Retry-After`; raise the limit.
   */
  server_busy: 503,
  /**
   * The database cancelled a statement at the `statement_timeout` set on it or on Glaze's role:
   * retrying will not help; lift the timeout for Glaze's role.
   */
  database_timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Dotted path of the offending field, e.g. `config.url`. */
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'AppError';
    this.status = errorCodes[code];
  }

  /** The message without the path prefix, for JSON bodies that carry `path` separately. */
  get detail(): string {
    return this.path && this.message.startsWith(`${this.path}: `)
      ? this.message.slice(this.path.length + 2)
      : this.message;
  }
}

export const notFound = (what: string, id: string | number): AppError =>
  new AppError('not_found', `${what} ${id} does not exist`);

/** Turns anything thrown into an Error, once, so callers never handle `unknown`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
