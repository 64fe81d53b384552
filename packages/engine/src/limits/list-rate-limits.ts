import type { RateLimitInfo } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { isoTime } from '../feed/cell-fields';
import { splitLimitKey } from './limit-key';
import { limitStatements } from './statements';

/** A provider's limits (the API's RateLimit) and the workspace they hold in. */
export type RateLimitListing = RateLimitInfo & { workspaceId: number; workspaceName: string };

/**
 * The providers with a limit set, a rate learned from their headers, or paused now, in one workspace
 * (or every one).
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
  return rows.map((row) => ({
    ...row,
    ...splitLimitKey(row.provider),
    workspaceId: Number(row.workspaceId),
    pausedUntil: isoTime(row.pausedUntil),
  })) as RateLimitListing[];
}
