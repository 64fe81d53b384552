import type { RateLimitInfo, RateLimitListReply, SetRateLimitBody } from '@glaze/core';
import { api } from './client';

export const listProviderLimits = () => api<RateLimitListReply>('GET', '/providers/limits');

export const setProviderLimits = (provider: string, body: SetRateLimitBody) =>
  api<{ limit: RateLimitInfo }>('PUT', `/providers/${encodeURIComponent(provider)}/limits`, body);
