import { createRedactor } from './redactor';

/**
 * Replaces every secret value in a text with `[secret]`, in every form `createRedactor` knows
 * (any case, URL-encoded, JSON-escaped, base64). For one-off use in a provider's messages; the
 * worker builds one redactor per chunk instead.
 * @example redact('401: bad key sk-123', ['sk-123']) // '401: bad key [secret]'
 */
export function redact(text: string, secretValues: Iterable<string>): string {
  return createRedactor(secretValues)?.text(text) ?? text;
}

/** `redact` applied to every string (keys too) inside a JSON value, e.g. an API's echo of the request. */
export function redactJson<T>(value: T, secretValues: readonly string[]): T {
  return createRedactor(secretValues)?.json(value) ?? value;
}
