import { abortableSleep } from '@glaze/core';
import { DatabaseClock } from './database-clock';

export interface SlotBatch {
  /**
   * Slots handed out: as many as asked for, or 0 when the last would lie more than the horizon ahead
   * (take-slots.sql); then ask again once it fits.
   */
  count: number;
  /** When the statement ran, by the database's clock (epoch ms): see DatabaseClock. */
  ranAtMs: number;
  /** The first slot, in ms from when the statement ran. */
  firstInMs: number;
  spacingMs: number;
  /**
   * A slot not used within this many ms of its time is dropped, never used late: as little as a
   * configured rate's spacing allows, more for a learned one (take-slots.sql picks it with the rate).
   */
  staleMs: number;
}

/** One send time (performance.now() ms) and how late it may still be used. */
interface Slot {
  at: number;
  staleMs: number;
}

export interface SlotQueueOptions {
  /**
   * Most slots asked for at once: a batch is handed out only once its last slot lies within
   * `horizonMs`, so keep its span well under that (or its first slots arrive too late to use).
   */
  maxBatch: () => number;
  /**
   * How far ahead the last slot of a batch may lie when it is handed out (take-slots.sql): the most
   * a worker holds, and so how long a pause another worker sets may take to hold this one.
   */
  horizonMs: number;
}

/**
 * Send times for one provider, taken from Postgres in batches (one statement per batch) and handed
 * to calls in order. A call waits for its slot and starts within `staleMs` of it, or drops it and
 * takes another: starting late could bunch calls from different workers into one second.
 */
export class SlotQueue {
  private slots: Slot[] = [];
  private hungry = 0;
  private refilling?: Promise<boolean>;
  private notBefore = 0;
  /** When (performance.now() ms) a refused batch will fit under the horizon. */
  private askAgainAt = 0;
  private readonly clock = new DatabaseClock();

  constructor(
    private readonly fetch: (count: number) => Promise<SlotBatch | undefined>,
    private readonly options: SlotQueueOptions,
  ) {}

  /** Waits for a slot. False when the provider has no rate limit (any more). */
  async take(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const now = performance.now();
      while (this.slots.length > 0 && isGone(this.slots[0] as Slot, now, this.notBefore)) this.slots.shift();
      const slot = this.slots.shift();
      if (slot === undefined) {
        this.hungry++;
        let limited: boolean;
        try {
          // Counted as hungry while waiting for a refused batch to fit, so the batch asked for next
          // is for every waiting call, not for the first to wake.
          for (let wait = this.askAgainAt - now; wait > 0; wait = this.askAgainAt - performance.now())
            await abortableSleep(wait, signal);
          limited = await this.refill();
        } finally {
          this.hungry--;
        }
        if (!limited) return false;
        continue;
      }
      if (slot.at > now) await abortableSleep(slot.at - now, signal);
      // Woke too late (a busy event loop) or a pause began meanwhile: the slot is gone.
      if (isGone(slot, performance.now(), this.notBefore)) continue;
      return true;
    }
  }

  /** Drops slots before `until` (performance.now() ms): the provider asked us to back off. */
  pauseUntil(until: number): void {
    this.notBefore = Math.max(this.notBefore, until);
  }

  private refill(): Promise<boolean> {
    this.refilling ??= (async () => {
      try {
        const count = Math.max(1, Math.min(this.hungry, this.options.maxBatch()));
        const batch = await this.fetch(count);
        if (!batch) return false;
        const ran = this.clock.toLocal(batch.ranAtMs, performance.now());
        if (batch.count === 0)
          this.askAgainAt = ran + batch.firstInMs + (count - 1) * batch.spacingMs - this.options.horizonMs;
        for (let i = 0; i < batch.count; i++)
          this.slots.push({ at: ran + batch.firstInMs + i * batch.spacingMs, staleMs: batch.staleMs });
        return true;
      } finally {
        this.refilling = undefined;
      }
    })();
    return this.refilling;
  }
}

/** Too late to use at `now`, or before the end of a pause. */
function isGone(slot: Slot, now: number, notBefore: number): boolean {
  return now > slot.at + slot.staleMs || slot.at < notBefore;
}
