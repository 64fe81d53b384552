import { abortableSleep, type RateHint } from '@glaze/core';
import type { Logger, Pool } from '@glaze/db';
import { AdaptiveCap } from './adaptive-cap';
import { LearnedRate } from './learned-rate';
import { PermitPool } from './permit-pool';
import { type SlotBatch, SlotQueue } from './slot-queue';
import { limitStatements } from './statements';

export interface GateOptions {
  /** This process's id among the holders of concurrency permits. */
  holder: string;
  /** How long a read limit is trusted before it is read again. */
  configTtlMs: number;
  /** A configured rate's extra spacing per second of slots: covers start lateness (staleMs) and network jitter. */
  jitterMs: number;
  /** How late a call may use a configured rate's slot (a learned rate's: learnedStaleMs). */
  staleMs: number;
  permitPollMs: number;
  permitLeaseSeconds: number;
  logger: Logger;
}

/** One read of the limit: its promise, when it was taken, and its answer once known (null: none set). */
interface LimitRead {
  value: Promise<Limit | undefined>;
  readAt: number;
  known?: Limit | null;
}

interface Limit {
  requestsPerSecond: number | null;
  concurrency: number | null;
}

/** A limit as limits/sql/read-limit.sql (and the run context) reads it. */
export interface LimitRow extends Limit {
  learnedRequestsPerSecond: number | null;
  /** How long the provider stays paused, ms from when it was read; null: not paused. */
  pausedForMs: number | string | null;
}

/**
 * How late a call may use its slot when the rate was learned (see SlotBatch's staleMs), and how far
 * back unused slots may be taken: a worker starved of CPU for a moment catches up instead of losing
 * those slots (6 % of a 200/s provider's rate lost under a load of 16 on 2 cores; 91 of 100 calls/s
 * used with the configured rate's 20 ms). 250 ms at 200/s is 50 calls, a quarter of that provider's
 * burst. Never for a configured rate: it has no burst to absorb a late call (take-slots.sql).
 */
const learnedStaleMs = 250;

/**
 * How far ahead of now the slots a worker holds may lie (take-slots.sql refuses a batch reaching
 * further). A pause another worker sets cannot recall slots already handed out, so this bounds how
 * long it takes to hold every worker: a call on a slot taken before the pause was written starts at
 * most this plus staleMs after it. Without it, a worker with 15 calls waiting at 20/s took three
 * batches in 25 ms, slots up to ~0.8 s ahead, and 2 of 30 loaded runs of rate-limits.test.ts saw
 * calls 300 ms after the pause reached the database.
 */
const slotHorizonMs = 200;

/** Calls this process lets run at once before the first answers (adaptive-cap.ts: slow start). */
const slowStart = 16;

/**
 * Rate limits of one provider in one workspace, as seen by one process. `acquire` waits for a
 * concurrency permit, the end of any pause and a send slot, and returns the release. Providers
 * without a limit cost one statement per `configTtlMs`, however many calls. A provider that answers
 * 429 with no limit configured is throttled by the gate itself: a pause shared with every process
 * (its Retry-After, or 0.5 s doubling to 30 s while the 429s go on) and, in this process, an
 * adaptive cap on calls in flight (adaptive-cap.ts), which starts small and doubles each round trip.
 * A provider whose answers carry quota headers (x-ratelimit-limit / remaining / reset) tells its rate:
 * the gate learns it (learned-rate.ts), stores it with the limit, and every process paces its calls
 * to it through the same send slots as a configured rate.
 */
export class ProviderGate {
  private limit?: LimitRead;
  private pausedUntil = 0;
  private rate?: number;
  private pauseWritten = 0;
  private throttlePauseMs = 0;
  private throttleLogged = 0;
  /** The rate learned from the provider's quota headers (here or by another process), req/s. */
  private learned?: number;
  private learnedWritten = 0;
  private readonly learning = new LearnedRate();
  private readonly cap = new AdaptiveCap(slowStart);
  private readonly slots: SlotQueue;
  private readonly permits: PermitPool;

  constructor(
    private readonly pool: Pool,
    private readonly workspaceId: number,
    private readonly provider: string,
    private readonly options: GateOptions,
  ) {
    this.slots = new SlotQueue((count) => this.takeSlots(count), {
      // an eighth of a second's worth per statement (8 a second at full speed, and at most one more
      // per batch refused for the horizon): its span, at most ~140 ms with the jitter spacing, leaves
      // the first slot of a batch handed out at the horizon at least ~60 ms ahead, to arrive in time
      maxBatch: () => Math.max(1, Math.ceil((this.rate ?? 8) / 8)),
      horizonMs: slotHorizonMs,
    });
    this.permits = new PermitPool(
      (wanted) => this.holdPermits(wanted),
      { pollMs: options.permitPollMs, leaseSeconds: options.permitLeaseSeconds },
      (error) => options.logger.warn({ err: error, provider }, 'holding rate-limit permits failed'),
    );
  }

  /**
   * The release at once, with no promise, when nothing can hold a call back now: the limit read
   * recently says there is none and no pause is on. Undefined otherwise: then `acquire`.
   */
  acquireNow(): (() => void) | undefined {
    const limit = this.limit;
    const now = performance.now();
    if (limit?.known === undefined || now - limit.readAt > this.options.configTtlMs) return undefined;
    if (limit.known && (limit.known.concurrency || limit.known.requestsPerSecond)) return undefined;
    if (this.learned !== undefined) return undefined;
    if (this.pausedUntil > now || !this.cap.tryTake()) return undefined;
    return this.cap.release;
  }

  /** Waits until a call may start; call the returned function when it has ended. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    const limit = await this.currentLimit();
    const permitted = Boolean(limit?.concurrency);
    await this.cap.take(signal);
    try {
      if (permitted) await this.permits.take(signal);
    } catch (error) {
      this.cap.release();
      throw error;
    }
    try {
      const wait = this.pausedUntil - performance.now();
      if (wait > 0) await abortableSleep(wait, signal);
      if (limit?.requestsPerSecond || this.learned) await this.slots.take(signal);
    } catch (error) {
      this.cap.release();
      if (permitted) this.permits.give();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.cap.release();
      if (permitted) this.permits.give();
    };
  }

  /**
   * The provider refused a call for its rate (HTTP 429). Every process pauses — `retryAfterMs` when
   * the provider said, else 0.5 s doubling up to 30 s while refusals go on — and this process lets
   * fewer calls run at once (AdaptiveCap).
   */
  throttled(retryAfterMs: number | undefined): void {
    this.cap.throttled();
    const now = performance.now();
    if (retryAfterMs === undefined) {
      if (this.pausedUntil > now) return; // refusals of calls sent before the pause began
      this.throttlePauseMs = Math.min(Math.max(500, this.throttlePauseMs * 2), 30_000);
    }
    // At least a quarter second (a Retry-After of 0 or a past date must not become a busy loop), at
    // most two minutes (a cell checks how long it has been throttled only between calls).
    const ms = Math.min(Math.max(retryAfterMs ?? this.throttlePauseMs, 250), 120_000);
    this.pause(ms);
    if (now - this.throttleLogged < 5000) return;
    this.throttleLogged = now;
    this.options.logger.info(
      { provider: this.provider, workspaceId: this.workspaceId, pauseMs: ms, concurrency: this.cap.current },
      'throttled by the provider (HTTP 429): pausing and sending fewer calls at once',
    );
  }

  /** A call went through: the adaptive cap may grow and the next refusal starts with a short pause. */
  succeeded(): void {
    this.throttlePauseMs = 0;
    this.cap.succeeded();
  }

  /**
   * An answer's quota headers bound the provider's rate: the learned rate is updated, and stored for
   * every process when it moved by 1 % or more since last stored (a few writes a run, not one a call).
   */
  learnRate(hint: RateHint): void {
    const rate = this.learning.add(hint);
    if (!(rate > 0 && Number.isFinite(rate))) return;
    this.learned = rate;
    this.rate ??= rate;
    if (Math.abs(rate - this.learnedWritten) < rate / 100) return;
    this.learnedWritten = rate;
    this.pool
      .query({ ...limitStatements.learnRate, values: [this.workspaceId, this.provider, rate] })
      .catch((error) =>
        this.options.logger.warn({ err: error, provider: this.provider }, 'storing the learned rate failed'),
      );
  }

  /** The provider said "come back in ms" (429 + Retry-After): this process waits, and so do the others. */
  pause(ms: number): void {
    const until = performance.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.slots.pauseUntil(until);
    // Concurrent 429s arrive together: write once per pause that extends the last by 100 ms or more.
    if (until < this.pauseWritten + 100) return;
    this.pauseWritten = until;
    this.pool
      .query({ ...limitStatements.pauseProvider, values: [this.workspaceId, this.provider, ms] })
      .catch((error) => this.options.logger.warn({ err: error, provider: this.provider }, 'pausing failed'));
  }

  /** Resolves when no pause is on (at once when none is). */
  async waitOutPause(signal: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - performance.now();
    if (wait > 0) await abortableSleep(wait, signal);
  }

  close(): Promise<void> {
    return this.permits.close();
  }

  private currentLimit(): Promise<Limit | undefined> {
    const now = performance.now();
    if (!this.limit || now - this.limit.readAt > this.options.configTtlMs) {
      const value = this.readLimit();
      const entry: LimitRead = { value, readAt: now };
      value.then(
        (limit) => {
          entry.known = limit ?? null;
        },
        () => {
          if (this.limit === entry) this.limit = undefined;
        },
      );
      this.limit = entry;
    }
    return this.limit.value;
  }

  /**
   * The limit as another statement read it (the run context's, worker/sql/run-context.sql), sent at
   * `readAt` (performance.now()); undefined: none is set. Taken unless this gate has a newer read: a
   * run's first chunk then needs no read of its own.
   */
  readElsewhere(row: LimitRow | undefined, readAt: number): void {
    if (this.limit && this.limit.readAt >= readAt) return;
    const limit = row ? this.adopt(row) : undefined;
    this.limit = { value: Promise.resolve(limit), readAt, known: limit ?? null };
  }

  private async readLimit(): Promise<Limit | undefined> {
    const { rows } = await this.pool.query({
      ...limitStatements.readLimit,
      values: [this.workspaceId, this.provider],
    });
    const row = rows[0];
    return row ? this.adopt(row) : undefined;
  }

  /** Takes a read limit row: its pause, the rate another process learned, the rate to pace to. */
  private adopt(row: LimitRow): Limit {
    this.pausedFor(row.pausedForMs);
    // A rate another process learned paces this one's calls too, until its own answers say more.
    if (row.learnedRequestsPerSecond !== null && this.learnedWritten === 0)
      this.learned = row.learnedRequestsPerSecond;
    this.rate = row.requestsPerSecond ?? this.learned;
    return { requestsPerSecond: row.requestsPerSecond, concurrency: row.concurrency };
  }

  /**
   * A batch of send slots. The statement picks the allowances from the rate it paces to, as it is in
   * the row now: a configured rate (set a moment ago, perhaps, and not yet read here) gets the jitter
   * spacing and no lateness beyond staleMs; a learned one gets none of that spacing and may use slots
   * up to learnedStaleMs late, since the provider's own burst absorbs it.
   */
  private async takeSlots(count: number): Promise<SlotBatch | undefined> {
    const { rows } = await this.pool.query({
      ...limitStatements.takeSlots,
      values: [
        this.workspaceId,
        this.provider,
        count,
        this.options.jitterMs,
        learnedStaleMs,
        this.options.staleMs,
        slotHorizonMs,
      ],
    });
    const row = rows[0];
    if (!row) return undefined;
    this.pausedFor(row.pausedForMs);
    return {
      count: row.count,
      ranAtMs: Number(row.ranAtMs),
      firstInMs: Number(row.firstInMs),
      spacingMs: Number(row.spacingMs),
      staleMs: Number(row.staleMs),
    };
  }

  /**
   * A pause read from the database (ms from now; null: none), set here or by another process: calls
   * wait it out and slots in hand before its end are dropped.
   */
  private pausedFor(ms: number | string | null): void {
    if (ms === null) return;
    const until = performance.now() + Number(ms);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.slots.pauseUntil(until);
  }

  private async holdPermits(wanted: number): Promise<number> {
    const { rows } = await this.pool.query({
      ...limitStatements.holdPermits,
      values: [this.workspaceId, this.provider, this.options.holder, wanted, this.options.permitLeaseSeconds],
    });
    return rows[0]?.granted ?? wanted;
  }
}
