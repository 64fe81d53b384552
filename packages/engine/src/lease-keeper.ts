import type { Logger, Pool } from '@glaze/db';
import { statements } from './sql';

interface Held {
  attempt: number;
  controller: AbortController;
}

/**
 * Renews the leases of every chunk this process is working on, in one statement per beat (every
 * third of the lease). A chunk the database no longer lists as ours (its run was cancelled, or it was
 * taken over after a stall) has its provider calls aborted.
 */
export class LeaseKeeper {
  private readonly held = new Map<number, Held>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly leaseSeconds: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.beat(), (leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  /** Starts renewing a claimed chunk; the signal aborts when the chunk is no longer ours. */
  hold(chunkId: number, attempt: number): AbortSignal {
    const controller = new AbortController();
    this.held.set(chunkId, { attempt, controller });
    return controller.signal;
  }

  release(chunkId: number): void {
    this.held.delete(chunkId);
  }

  /** Aborts every held chunk (shutdown). */
  abortAll(reason: string): void {
    for (const { controller } of this.held.values()) controller.abort(new Error(reason));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async beat(): Promise<void> {
    if (this.held.size === 0) return;
    const entries = [...this.held.entries()];
    try {
      const { rows } = await this.pool.query({
        ...statements.extendLeases,
        values: [entries.map(([id]) => id), entries.map(([, h]) => h.attempt), this.leaseSeconds],
      });
      const alive = new Set(rows.map((r) => r.id as number));
      for (const [id, held] of entries) {
        if (!alive.has(id) && this.held.get(id) === held)
          held.controller.abort(new Error('chunk is no longer ours'));
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'lease renewal failed; will retry on the next beat');
    }
  }
}
