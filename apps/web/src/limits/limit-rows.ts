import type { RateLimitInfo } from '@glaze/core';

/** What the panel's fields are called, for messages a person reads. */
export const limitFieldLabels = {
  requestsPerSecond: 'Requests per second',
  concurrency: 'Concurrency',
} as const;
export type LimitField = keyof typeof limitFieldLabels;

/** One row of the panel: a provider's own limits, or its limits on one host. */
export const limitRowKey = (limit: Pick<RateLimitInfo, 'provider' | 'host'>) =>
  limit.host ? `${limit.provider} on ${limit.host}` : limit.provider;

/**
 * Every provider with its limits: GET /providers/limits lists only those with a limit (or paused),
 * so the others are filled in with none, in the order GET /providers gives; a provider's limits on
 * single hosts follow it, by host.
 */
export function limitRows(providerIds: readonly string[], limits: readonly RateLimitInfo[]): RateLimitInfo[] {
  const own = new Map(limits.filter((limit) => !limit.host).map((limit) => [limit.provider, limit]));
  const hosts = (provider: string) =>
    limits
      .filter((limit) => limit.provider === provider && limit.host)
      .sort((a, b) => (a.host as string).localeCompare(b.host as string));
  const rowsOf = (provider: string) => [
    own.get(provider) ?? {
      provider,
      host: null,
      requestsPerSecond: null,
      concurrency: null,
      learnedRequestsPerSecond: null,
      pausedUntil: null,
    },
    ...hosts(provider),
  ];
  // a limit kept for a provider this server no longer has is still shown, so it can be cleared
  const orphans = [...new Set(limits.map((limit) => limit.provider))].filter(
    (id) => !providerIds.includes(id),
  );
  return [
    ...providerIds.flatMap(rowsOf),
    ...orphans.flatMap((id) => limits.filter((l) => l.provider === id)),
  ];
}

/** The rows with `saved` in place of the row it is the new state of, or added after its provider's rows. */
export function withSavedRow(rows: readonly RateLimitInfo[], saved: RateLimitInfo): RateLimitInfo[] {
  const key = limitRowKey(saved);
  if (rows.some((row) => limitRowKey(row) === key))
    return rows.map((row) => (limitRowKey(row) === key ? saved : row));
  const last = rows.findLastIndex((row) => row.provider === saved.provider);
  return [...rows.slice(0, last + 1), saved, ...rows.slice(last + 1)];
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
