import type { SetRateLimitBody } from '@glaze/core';
import { glaze } from './client';

export const listProviderLimits = () => glaze.listProviderLimits();

/** Sets a provider's own limits, or with `host` its limits on that host. */
export const setProviderLimits = (provider: string, host: string | null, body: SetRateLimitBody) =>
  glaze.setProviderLimits({ params: { path: { name: provider }, query: host ? { host } : {} }, body });
