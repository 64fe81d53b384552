import type { RateLimitInfo } from '@glaze/core';
import { useEffect, useState } from 'react';
import { listProviderLimits } from '../api/provider-limits';

/** How often a page with a running run asks which providers are paused (one small query each time). */
const pollMs = 2000;

/**
 * The workspace's provider limits and pauses, read every 2 s while `active` (a run is running) and
 * not at all otherwise. A failed read keeps the last answer: the panel is a hint, the cells are the truth.
 */
export function useProviderPauses(active: boolean): RateLimitInfo[] {
  const [limits, setLimits] = useState<RateLimitInfo[]>([]);
  useEffect(() => {
    if (!active) {
      setLimits([]);
      return;
    }
    let live = true;
    const read = () =>
      listProviderLimits()
        .then((reply) => live && setLimits(reply.limits))
        .catch(() => undefined);
    void read();
    const timer = setInterval(read, pollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [active]);
  return limits;
}
