import type { RateHint } from '@glaze/core';
import type { ProviderGate } from './provider-gate';

/**
 * The limits of one provider on one host (`http` calling `api.example.com`): a call waits for the
 * host's limits, then the provider's. What the host says — a 429, a Retry-After, a spent quota —
 * slows the calls to that host only: one API refusing must not hold a column calling another.
 * @example new HostGate(limits.gate(1, 'http'), limits.gate(1, 'http:api.example.com'))
 */
export class HostGate {
  constructor(
    private readonly provider: ProviderGate,
    private readonly host: ProviderGate,
  ) {}

  acquireNow(): (() => void) | undefined {
    const host = this.host.acquireNow();
    if (!host) return undefined;
    const provider = this.provider.acquireNow();
    if (!provider) {
      host();
      return undefined;
    }
    return () => {
      provider();
      host();
    };
  }

  /**
   * Host first: a call held by its host's pause must not sit on one of the provider's permits. A
   * pause the host asked for while this call waited for the provider is waited out too.
   */
  async acquire(signal: AbortSignal): Promise<() => void> {
    const host = await this.host.acquire(signal);
    let provider: (() => void) | undefined;
    try {
      provider = await this.provider.acquire(signal);
      await this.host.waitOutPause(signal);
    } catch (error) {
      provider?.();
      host();
      throw error;
    }
    return () => {
      provider();
      host();
    };
  }

  pause(ms: number): void {
    this.host.pause(ms);
  }

  throttled(retryAfterMs: number | undefined): void {
    this.host.throttled(retryAfterMs);
  }

  /** The rate the host's quota headers show is the host's, as its 429s are. */
  learnRate(hint: RateHint): void {
    this.host.learnRate(hint);
  }

  succeeded(): void {
    this.host.succeeded();
    this.provider.succeeded();
  }
}
