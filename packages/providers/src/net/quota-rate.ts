import type { ProviderResult, RateHint } from '@glaze/core';
import { parseDuration } from './quota-wait';

/**
 * The API's sustained rate as one answer's quota headers bound it, read the way OpenAI documents
 * them: `x-ratelimit-limit-requests` calls at most, `x-ratelimit-remaining-requests` of them left,
 * `x-ratelimit-reset-requests` until the quota is whole again (a token bucket refilling at the rate:
 * the `limit - remaining` calls used come back in `reset`, so rate = used / reset). Also read without
 * the `-requests` suffix and as the IETF draft's `ratelimit-*`, with reset in seconds. The counts are
 * whole numbers and the time rounded, so one answer gives bounds, not the rate: (used ± 1) / (reset
 * ± 0.5 ms). Undefined when a header is missing, nothing is used, or the reset is a moment (a Unix
 * time, as GitHub sends: a fixed window, which quota-wait.ts paces instead).
 * @example quotaRate(new Headers({ 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '190', 'x-ratelimit-reset': '0.05' })) // { low: 180, high: 220 } roughly
 */
export function quotaRate(headers: Headers): RateHint | undefined {
  const limit = count(headers, 'limit');
  const remaining = count(headers, 'remaining');
  if (limit === undefined || remaining === undefined) return undefined;
  const used = limit - remaining;
  const resetMs = resetInMs(headers);
  if (used <= 0 || resetMs === undefined || resetMs <= 0) return undefined;
  return {
    low: ((used - 1) * 1000) / (resetMs + 0.5),
    high: ((used + 1) * 1000) / Math.max(resetMs - 0.5, 0.5),
  };
}

/** Adds the rate bounds of `headers` to a result that is not permanent; others unchanged. */
export function withQuotaRate(result: ProviderResult, headers: Headers): ProviderResult {
  if (result.kind === 'permanent') return result;
  const rate = quotaRate(headers);
  return rate === undefined ? result : { ...result, rate };
}

function count(headers: Headers, name: 'limit' | 'remaining'): number | undefined {
  const text =
    headers.get(`x-ratelimit-${name}-requests`) ??
    headers.get(`x-ratelimit-${name}`) ??
    headers.get(`ratelimit-${name}`);
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function resetInMs(headers: Headers): number | undefined {
  const duration = headers.get('x-ratelimit-reset-requests');
  if (duration !== null)
    return /^\d+(\.\d+)?$/.test(duration.trim()) ? Number(duration) * 1000 : parseDuration(duration);
  const seconds = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (seconds === null || !/^\d+(\.\d+)?$/.test(seconds.trim())) return undefined;
  const value = Number(seconds.trim());
  return value > 1e9 ? undefined : value * 1000;
}
