import { randomUUID } from 'node:crypto';
import type { Logger, Pool } from '@glaze/db';
import { HostGate } from './host-gate';
import { limitKey } from './limit-key';
import { type GateOptions, type LimitRow, ProviderGate } from './provider-gate';

export interface RateLimitOptions {
  /** How long a process trusts a limit it read (changes and pauses by others reach it this fast). */
  configTtlMs?: number;
  /**
   * Slots are spaced (1000 + jitterMs) / rate ms apart instead of 1000 / rate, so that calls that
   * start up to `staleMs` late, plus network jitter, still never put more than `rate` calls into
   * any one-second window at the provider. Costs jitterMs/10 % of throughput (10 % at the default 100 ms; measured lateness on loopback under
   * test load reached ~40 ms, so 50 was not enough).
   */
  jitterMs?: number;
  staleMs?: number;
}

/**
 * Every provider gate of one worker process, by workspace and provider.
 * @example const release = await limits.gate(workspaceId, 'http').acquire(signal); try { … } finally { release(); }
 */
export class RateLimits {
  private readonly gates = new Map<string, ProviderGate>();
  private readonly gateOptions: GateOptions;

  constructor(
    private readonly pool: Pool,
    logger: Logger,
    options: RateLimitOptions = {},
  ) {
    this.gateOptions = {
      holder: randomUUID(),
      configTtlMs: options.configTtlMs ?? 2000,
      jitterMs: options.jitterMs ?? 100,
      staleMs: options.staleMs ?? 20,
      permitPollMs: 100,
      permitLeaseSeconds: 30,
      logger,
    };
  }

  /**
   * The gate of a provider's calls; with `host`, the provider's limits and those set for it on that
   * host (stored under the key `<provider>:<host>`, see limitKey).
   */
  gate(workspaceId: number, provider: string, host?: string): ProviderGate | HostGate {
    const own = this.providerGate(workspaceId, provider);
    return host === undefined
      ? own
      : new HostGate(own, this.providerGate(workspaceId, limitKey(provider, host)));
  }

  /**
   * Limits another statement read (the run context's), sent at `readAt` (performance.now()): for the
   * provider and, with `host`, its calls to that host; a key with no row has no limit set. Gates with
   * a newer read of their own keep it.
   */
  readElsewhere(
    workspaceId: number,
    provider: string,
    host: string | undefined,
    rows: ReadonlyArray<LimitRow & { key: string }>,
    readAt: number,
  ): void {
    for (const key of host === undefined ? [provider] : [provider, limitKey(provider, host)])
      this.providerGate(workspaceId, key).readElsewhere(
        rows.find((row) => row.key === key),
        readAt,
      );
  }

  private providerGate(workspaceId: number, provider: string): ProviderGate {
    const key = `${workspaceId}:${provider}`;
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new ProviderGate(this.pool, workspaceId, provider, this.gateOptions);
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** Gives back every concurrency permit this process holds. */
  async close(): Promise<void> {
    await Promise.all([...this.gates.values()].map((gate) => gate.close()));
  }
}
