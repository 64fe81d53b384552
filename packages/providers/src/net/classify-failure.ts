import type { ProviderResult } from '@glaze/core';
import { BlockedUrlError } from './guard';
import { TooManyRedirectsError } from './guarded-fetch';
import { errorMessageOf, ResponseTooLargeError } from './read-response';
import { parseRateLimitReset, parseRetryAfter } from './retry-after';

type Failure = Extract<ProviderResult, { kind: 'retryable' | 'permanent' }>;

/**
 * A non-2xx answer as a result: 408/425/429 and 5xx are worth retrying (honouring Retry-After),
 * any other status will not change by asking again. The body's own message is kept because
 * "HTTP 422" alone does not tell a person which field the API disliked.
 */
export function failureForStatus(response: Response, body: string, what: string): Failure {
  const detail = errorMessageOf(body);
  const message = `${what}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${detail ? `: ${detail}` : ''}`;
  const retryable = [408, 425, 429].includes(response.status) || response.status >= 500;
  if (!retryable) return { kind: 'permanent', message };
  const throttled = response.status === 429;
  const retryAfterMs =
    parseRetryAfter(response.headers.get('retry-after')) ??
    (throttled ? parseRateLimitReset(response.headers) : undefined);
  const failure: Extract<Failure, { kind: 'retryable' }> = { kind: 'retryable', message };
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  if (throttled) failure.throttled = true;
  return failure;
}

/**
 * A thrown fetch error as a result. Refusals by the guard, redirect loops and oversized bodies
 * are permanent; timeouts, refused or reset connections and DNS hiccups (EAI_AGAIN) are
 * retryable. A name that does not exist (ENOTFOUND) is permanent: retrying will not create it.
 */
export function failureForError(error: unknown, what: string, timedOut: boolean, timeoutMs: number): Failure {
  if (timedOut)
    return { kind: 'retryable', message: `${what}: no answer within ${timeoutMs} ms (config.timeoutMs)` };
  if (
    error instanceof BlockedUrlError ||
    error instanceof TooManyRedirectsError ||
    error instanceof ResponseTooLargeError
  ) {
    return { kind: 'permanent', message: `${what}: ${error.message}` };
  }
  const code = errorCode(error);
  if (code === 'ENOTFOUND') return { kind: 'permanent', message: `${what}: host not found (DNS ENOTFOUND)` };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const text = error instanceof Error ? error.message : String(error);
  return {
    kind: 'retryable',
    message: `${what}: connection failed: ${cause ?? text}${code && !(cause ?? text).includes(code) ? ` (${code})` : ''}`,
  };
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
