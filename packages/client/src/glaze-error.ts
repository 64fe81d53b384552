/**
 * An error answer of the Glaze API, as the server sends every one: `{"error":{"code","message","path"}}`.
 * `code` is stable (`validation_failed`, `not_found`, `payload_too_large`…), `path` names the
 * offending field (`config.url`) or is null, `status` is the HTTP status. `message` is
 * `path: detail`; `detail` alone is what a form shows under the field `path` names.
 */
export class GlazeError extends Error {
  override readonly name = 'GlazeError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly path: string | null = null,
  ) {
    super(path ? `${path}: ${detail}` : detail);
  }

  /** The error of a response that is not 2xx; a body that is not Glaze's error shape keeps the status. */
  static async from(response: Response, body?: unknown): Promise<GlazeError> {
    const parsed = body ?? (await response.json().catch(() => undefined));
    const error = (parsed as { error?: { code?: unknown; message?: unknown; path?: unknown } } | undefined)
      ?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new GlazeError(
        response.status,
        error.code,
        error.message,
        typeof error.path === 'string' ? error.path : null,
      );
    }
    return new GlazeError(
      response.status,
      'http_error',
      `HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
}
