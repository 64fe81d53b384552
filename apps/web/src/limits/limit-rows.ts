import type { RateLimitInfo } from '@glaze/core';

/** What the panel's fields are called, for messages a person reads. */
export const limitFieldLabels = {
  requestsPerSecond: 'Requests per second',
  concurrency: 'Concurrency',
} as const;
export type LimitField = keyof typeof limitFieldLabels;

/**
 * Every provider with its limits: GET /providers/limits lists only those with a limit (or paused),
 * so the others are filled in with none, in the order GET /providers gives.
 */
export function limitRows(providerIds: readonly string[], limits: readonly RateLimitInfo[]): RateLimitInfo[] {
  const byProvider = new Map(limits.map((limit) => [limit.provider, limit]));
  const known = providerIds.map(
    (provider) =>
      byProvider.get(provider) ?? { provider, requestsPerSecond: null, concurrency: null, pausedUntil: null },
  );
  // a limit kept for a provider this server no longer has is still shown, so it can be cleared
  const orphans = limits.filter((limit) => !providerIds.includes(limit.provider));
  return [...known, ...orphans];
}

/**
 * A field's text as the PUT body wants it: empty is `null` (no limit). Anything else must be a
 * number; the server checks the range and its 400 names the field.
 * @example parseLimit('concurrency', ' 10 ') // { value: 10 }
 */
export function parseLimit(field: LimitField, text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value))
    return {
      error: `${limitFieldLabels[field]} (${field}): "${trimmed}" is not a number; leave it empty for no limit`,
    };
  return { value };
}
