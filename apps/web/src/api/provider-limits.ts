import type { RateLimitInfo, RateLimitListReply, SetRateLimitBody } from '@glaze/core';
import { api } from './client';

export const listProviderLimits = () => api<RateLimitListReply>('GET', '/providers/limits');

/** Sets a provider's own limits, or with `host` its limits on that host. */
export const setProviderLimits = (provider: string, host: string | null, body: SetRateLimitBody) =>
  api<{ limit: RateLimitInfo }>(
    'PUT',
    `/providers/${encodeURIComponent(provider)}/limits${host ? `?host=${encodeURIComponent(host)}` : ''}`,
    body,
  );
