import type { Pool } from '@glaze/db';
import { limitStatements } from './statements';

export interface RateLimitListing {
  workspaceId: number;
  workspaceName: string;
  provider: string;
  /** Calls started per second across every worker; null: no limit. */
  requestsPerSecond: number | null;
  /** Calls in flight at once across every worker; null: no limit. */
  concurrency: number | null;
  /** Set while the provider is paused (it answered 429 or 503 with a time to come back). */
  pausedUntil: Date | null;
}

/**
 * The providers with a limit set, or paused now, in one workspace (or every one).
 * @example await listRateLimits(pool, { workspaceId: 1 }) // [{ provider: 'http', requestsPerSecond: 10, … }]
 */
export async function listRateLimits(
  pool: Pool,
  filter: { workspaceId?: number } = {},
): Promise<RateLimitListing[]> {
  const { rows } = await pool.query({
    ...limitStatements.listRateLimits,
    values: [filter.workspaceId ?? null],
  });
  return rows.map((row) => ({ ...row, workspaceId: Number(row.workspaceId) })) as RateLimitListing[];
}
