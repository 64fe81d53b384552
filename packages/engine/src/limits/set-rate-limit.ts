import { type AnyProvider, AppError, type RateLimitInfo } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';
import { limitKey, splitLimitKey } from './limit-key';
import { limitStatements } from './statements';

/** A provider's limits in a workspace (the API's RateLimit) and that workspace's id. */
export type RateLimit = RateLimitInfo & { workspaceId: number };

/**
 * Sets a provider's limits for a workspace; every worker process follows them within ~2 s. A field
 * left out keeps its value, null removes that limit.
 * @example await setRateLimit(pool, { workspaceId: 1, provider: 'http', requestsPerSecond: 10, concurrency: 5 });
 */
export async function setRateLimit(
  pool: Pool,
  limit: {
    workspaceId: number;
    provider: string;
    /** Only the provider's calls to this host (`api.example.com`, `localhost:8080`); see limit-key.ts. */
    host?: string | null;
    requestsPerSecond?: number | null;
    concurrency?: number | null;
  },
): Promise<RateLimit> {
  const rps = limit.requestsPerSecond ?? null;
  const concurrency = limit.concurrency ?? null;
  if (rps !== null && !(Number.isFinite(rps) && rps > 0 && rps <= 100_000))
    throw new AppError(
      'validation_failed',
      'must be a number above 0 and at most 100000',
      'requestsPerSecond',
    );
  if (concurrency !== null && !(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 100_000))
    throw new AppError('validation_failed', 'must be an integer from 1 to 100000', 'concurrency');
  if (limit.provider.trim() === '' || limit.provider.includes(':'))
    throw new AppError('validation_failed', 'must be a provider id (no colon)', 'provider');
  const host = limit.host == null ? null : normaliseHost(limit.host);
  const { rows } = await pool.query({
    ...limitStatements.setRateLimit,
    values: [
      limit.workspaceId,
      limitKey(limit.provider, host),
      rps,
      concurrency,
      limit.requestsPerSecond === undefined,
      limit.concurrency === undefined,
    ],
  });
  const row = rows[0];
  return { ...row, ...splitLimitKey(row.provider), pausedUntil: isoTime(row.pausedUntil) } as RateLimit;
}

/**
 * A host as calls name it: lower case, with its port when not the default, nothing else.
 * @example normaliseHost('API.Example.com:443') // 'api.example.com:443'
 */
export function normaliseHost(text: string): string {
  const trimmed = text.trim();
  let host = '';
  try {
    if (/^[^/?#@\s]+$/.test(trimmed)) host = new URL(`http://${trimmed}`).host;
  } catch {
    // host stays empty: refused below
  }
  if (!host)
    throw new AppError(
      'validation_failed',
      `"${text}" is not a host name (like api.example.com or localhost:8080; no scheme or path)`,
      'host',
    );
  return host;
}

/** Refuses a limit for a provider this install does not have, listing the ones it has. */
export function assertKnownProvider(providers: ReadonlyMap<string, AnyProvider>, provider: string): void {
  if (providers.has(provider)) return;
  const known = [...providers.keys()].sort().join(', ');
  throw new AppError('not_found', `no provider "${provider}" (providers: ${known})`, 'provider');
}
