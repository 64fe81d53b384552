import type { ProviderResult } from '@glaze/core';
import { parseRateLimitReset } from './retry-after';

/**
 * How long to hold every call to this API after a successful answer, from the quota headers it sent
 * with it: none while calls remain in the window, the time to the window's reset once the answer says
 * none remain. Read so that a run stops *before* the 429s, not after them:
 * - OpenAI: `x-ratelimit-remaining-requests: 0`, `x-ratelimit-reset-requests: 6m0s` (a duration);
 * - GitHub, Twitter and most REST APIs: `x-ratelimit-remaining: 0`, `x-ratelimit-reset: <seconds or Unix time>`;
 * - the IETF draft: `ratelimit-remaining: 0`, `ratelimit-reset: <seconds>`.
 * Undefined when calls remain, or the headers are absent or unreadable.
 */
export function quotaWaitMs(headers: Headers, now = Date.now()): number | undefined {
  const remaining =
    headers.get('x-ratelimit-remaining-requests') ??
    headers.get('x-ratelimit-remaining') ??
    headers.get('ratelimit-remaining');
  if (remaining === null || remaining.trim() !== '0') return undefined;
  const duration = headers.get('x-ratelimit-reset-requests');
  if (duration !== null) return parseDuration(duration);
  return parseRateLimitReset(headers, now);
}

/** Adds the quota wait of `headers` to a successful result (ok or empty); other results unchanged. */
export function withQuotaWait(result: ProviderResult, headers: Headers): ProviderResult {
  if (result.kind !== 'ok' && result.kind !== 'empty') return result;
  const waitMs = quotaWaitMs(headers);
  return waitMs === undefined ? result : { ...result, waitMs };
}

const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** `6m0s`, `1.5s`, `20ms`, `1h2m3s` (Go's time.Duration text, as OpenAI sends it) in ms, at most an hour. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g))
    ms += Number(amount) * (units[unit as string] as number);
  return Math.min(Math.round(ms), 3_600_000);
}
