import type { ProviderResult, RateHint } from '@glaze/core';
import { parseDuration } from './quota-wait';

/**
 * The API's sustained rate as one answer's quota headers bound it, read the way OpenAI documents
 * them: `x-ratelimit-limit-requests` calls at most, `x-ratelimit-remaining-requests` of them left,
 * `x-ratelimit-reset-requests` until the quota is whole again (a token bucket refilling at the rate:
 * the `limit - remaining` calls used come back in `reset`, so rate = used / reset). The counts are
 * whole numbers and the time rounded, so one answer gives bounds, not the rate: (used ± 1) / (reset
 * ± 0.5 ms). Undefined when a header is missing or nothing is used.
 *
 * Only these: `x-ratelimit-*` without the suffix and the IETF draft's `ratelimit-*` mostly describe a
 * fixed window (60 a minute, the count whole again when the minute ends), where used / reset is not
 * the rate — one call into a 60-a-minute window, 59 s before it ends, would read as one call a
 * minute. Their `remaining: 0` still pauses the calls until the reset (quota-wait.ts).
 * @example quotaRate(new Headers({ 'x-ratelimit-limit-requests': '200', 'x-ratelimit-remaining-requests': '190', 'x-ratelimit-reset-requests': '50ms' })) // { low: 178, high: 222 } roughly
 */
export function quotaRate(headers: Headers): RateHint | undefined {
  const limit = count(headers.get('x-ratelimit-limit-requests'));
  const remaining = count(headers.get('x-ratelimit-remaining-requests'));
  const reset = headers.get('x-ratelimit-reset-requests');
  if (limit === undefined || remaining === undefined || reset === null) return undefined;
  const used = limit - remaining;
  const resetMs = /^\d+(\.\d+)?$/.test(reset.trim()) ? Number(reset) * 1000 : parseDuration(reset);
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

function count(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
