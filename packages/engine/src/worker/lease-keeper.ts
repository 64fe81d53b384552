import { setMaxListeners } from 'node:events';
import type { DatabaseHealth, Logger, Pool } from '@glaze/db';
import { statements } from './statements';

interface Held {
  attempt: number;
  controller: AbortController;
}

/** Who this worker process is, as its heartbeat row says. */
export interface WorkerIdentity {
  /** `host:pid:random`, unique per process start. */
  id: string;
  host: string;
  pid: number;
}

/**
 * Why a chunk's calls were stopped while the chunk is still ours: the worker hands the chunk back
 * (nothing it computed after this is written, the cells keep their tries) instead of ending its cells.
 */
export class HandBack extends Error {
  override name = 'HandBack';
}

/**
 * The worker's heartbeat: one statement every third of the lease writes this process's row in
 * `glaze_workers` (alive, and the graphile-worker ids locking jobs for it) and renews the lease of
 * every chunk it holds. A chunk the database no longer lists as ours (its run was cancelled, or it was
 * taken over after a stall) has its provider calls aborted. It beats even with no chunk in hand:
 * jobs waiting in graphile-worker's local queue are locked in our name too.
 */
export class LeaseKeeper {
  private readonly held = new Map<number, Held>();
  private readonly timer: NodeJS.Timeout;
  private beating: Promise<void> | undefined;
  private stopped = false;
  /** graphile-worker ids (worker pool and workers) that lock jobs for this process. */
  readonly jobHolders = new Set<string>();
  /** Jobs fetched and not finished by this process (reported so that a lost one can be told apart). */
  readonly heldJobs = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly leaseSeconds: number,
    readonly identity: WorkerIdentity,
    private readonly health: DatabaseHealth,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.beat(), (leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  /** Starts renewing a claimed chunk; the signal aborts when the chunk is no longer ours. */
  hold(chunkId: number, attempt: number): AbortSignal {
    const controller = new AbortController();
    // Every cell of the chunk waiting on a rate limit or a throttled provider listens to it.
    setMaxListeners(0, controller.signal);
    this.held.set(chunkId, { attempt, controller });
    return controller.signal;
  }

  release(chunkId: number): void {
    this.held.delete(chunkId);
  }

  /** Stops the calls of one held chunk so that it can be handed back. */
  handBack(chunkId: number, reason: string): void {
    this.held.get(chunkId)?.controller.abort(new HandBack(reason));
  }

  /** Stops the calls of every held chunk so that they can be handed back (shutdown). */
  handBackAll(reason: string): void {
    for (const { controller } of this.held.values()) controller.abort(new HandBack(reason));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** One beat; concurrent callers share it. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  /** Removes this worker's row (graceful stop): its jobs are all returned by then. */
  async retire(): Promise<void> {
    await this.pool.query('delete from glaze_workers where id = $1', [this.identity.id]).catch(() => {});
  }

  private async beatOnce(): Promise<void> {
    if (this.stopped) return;
    const entries = [...this.held.entries()];
    const { id, host, pid } = this.identity;
    try {
      const { rows } = await this.pool.query({
        ...statements.heartbeat,
        values: [
          entries.map(([chunkId]) => chunkId),
          entries.map(([, h]) => h.attempt),
          this.leaseSeconds,
          id,
          host,
          pid,
          [...this.jobHolders],
          [...this.heldJobs],
        ],
      });
      const alive = new Set(rows.map((r) => r.id as number));
      for (const [chunkId, held] of entries) {
        if (!alive.has(chunkId) && this.held.get(chunkId) === held)
          held.controller.abort(new Error('chunk is no longer ours'));
      }
    } catch (error) {
      // An outage is logged once by DatabaseHealth; the first beat after it renews the leases.
      if (this.health.failed(error)) {
        void this.health.whenAvailable().then(() => this.beat());
        return;
      }
      this.logger.warn({ err: error }, 'heartbeat failed; will retry on the next beat');
    }
  }
}
