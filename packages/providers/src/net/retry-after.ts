/**
 * Milliseconds to wait from a `Retry-After` header: either delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, RFC 9110 §10.2.3). Undefined when absent or
 * unreadable; a date in the past means 0.
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Milliseconds until the provider's rate-limit window resets, from the headers APIs send with a
 * 429 when they send no Retry-After: `RateLimit-Reset` (IETF draft: seconds) and `X-RateLimit-Reset`
 * (GitHub, Twitter…: seconds, or a Unix time when the number is that large). Undefined when absent.
 */
export function parseRateLimitReset(headers: Headers, now = Date.now()): number | undefined {
  const header = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  if (header === null || !/^\d+(\.\d+)?$/.test(header.trim())) return undefined;
  const value = Number(header.trim());
  // Above ~1e9 it is a moment (seconds since 1970), below it a delay in seconds.
  const ms = value > 1e9 ? value * 1000 - now : value * 1000;
  return Math.min(Math.max(0, Math.round(ms)), 3_600_000);
}
