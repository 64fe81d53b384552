import type { RateLimitInfo } from '@glaze/core';

/** What a running run's panel says while its provider is paused: until when, and which hosts. */
export interface ThrottleNotice {
  /** The latest end of a pause on the provider or one of its hosts (ISO time). */
  until: string;
  /** Hosts of the provider paused now; empty when the provider as a whole is. */
  hosts: string[];
}

/**
 * Whether `provider` is held back now because it refused calls (429) or said its quota is spent:
 * the pauses GET /providers/limits lists, on the provider itself or on hosts it calls.
 * @example throttleNotice(limits, 'http', Date.now()) // { until: '2026-11-30T12:00:03Z', hosts: ['api.example.com'] }
 */
export function throttleNotice(
  limits: readonly RateLimitInfo[],
  provider: string,
  now: number,
): ThrottleNotice | undefined {
  const paused = limits.filter(
    (limit) =>
      limit.provider === provider && limit.pausedUntil !== null && Date.parse(limit.pausedUntil) > now,
  );
  if (paused.length === 0) return undefined;
  const until = paused
    .map((limit) => limit.pausedUntil as string)
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  return {
    until: until as string,
    hosts: paused.flatMap((limit) => (limit.host ? [limit.host] : [])).sort(),
  };
}
