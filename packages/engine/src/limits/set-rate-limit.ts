import { type AnyProvider, AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { limitStatements } from './statements';

export interface RateLimit {
  workspaceId: number;
  provider: string;
  /** Calls started per second across every worker; null: no limit. */
  requestsPerSecond: number | null;
  /** Calls in flight at once across every worker; null: no limit. */
  concurrency: number | null;
}

/**
 * Sets a provider's limits for a workspace; every worker process follows them within ~2 s.
 * @example await setRateLimit(pool, { workspaceId: 1, provider: 'http', requestsPerSecond: 10, concurrency: 5 });
 */
export async function setRateLimit(
  pool: Pool,
  limit: {
    workspaceId: number;
    provider: string;
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
  if (limit.provider.trim() === '') throw new AppError('validation_failed', 'must not be empty', 'provider');
  const { rows } = await pool.query({
    ...limitStatements.setRateLimit,
    values: [limit.workspaceId, limit.provider, rps, concurrency],
  });
  return rows[0] as RateLimit;
}

/** Refuses a limit for a provider this install does not have, listing the ones it has. */
export function assertKnownProvider(providers: ReadonlyMap<string, AnyProvider>, provider: string): void {
  if (providers.has(provider)) return;
  const known = [...providers.keys()].sort().join(', ');
  throw new AppError('not_found', `no provider "${provider}" (providers: ${known})`, 'provider');
}
