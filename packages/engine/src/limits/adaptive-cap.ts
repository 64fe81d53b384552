/**
 * How many calls of one provider this process lets run at once when nobody configured a limit and
 * the provider pushes back (HTTP 429). None until the first 429: then half of what was in flight,
 * growing by one each time that many calls in a row succeed (additive increase, multiplicative
 * decrease, as TCP finds a link's capacity), and gone again once it has doubled past where it
 * started. A configured concurrency limit (rate_limits) is separate and shared by every process;
 * this one is this process's own guess.
 *
 * With `slowStart`, a cap of that many is on from the first call and grows by one per success (it
 * doubles each round trip, as TCP's slow start) until the first 429 or until it reaches 32 times its
 * start: a run does not send its whole concurrency at a provider before the first answer tells how
 * fast it may go (two workers of 200 calls each emptied a 200-call quota at once: 2 % of 10,000
 * calls refused).
 */
export class AdaptiveCap {
  private cap: number | undefined;
  private ceiling = 0;
  private starting: boolean;
  private inFlight = 0;
  private successes = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(slowStart?: number) {
    this.cap = slowStart;
    this.starting = slowStart !== undefined;
    this.ceiling = (slowStart ?? 0) * 32;
  }

  /** Given to every call that takes a place: one function for all, nothing allocated per call. */
  readonly release = (): void => {
    this.inFlight--;
    this.wake();
  };

  /** Takes a place when one is free now. */
  tryTake(): boolean {
    if (this.cap !== undefined && this.inFlight >= this.cap) return false;
    this.inFlight++;
    return true;
  }

  /** Waits for a place (in order of asking); rejects when `signal` aborts first. */
  take(signal: AbortSignal): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const granted = () => {
        signal.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        const index = this.waiting.indexOf(granted);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return aborted();
      signal.addEventListener('abort', aborted, { once: true });
      this.waiting.push(granted);
    });
  }

  /** The provider refused a call for its rate: halve what may run at once (at least one). */
  throttled(): void {
    const next = Math.max(1, Math.floor((this.inFlight + 1) / 2));
    if (this.cap === undefined || this.starting) this.ceiling = Math.max(2, (this.inFlight + 1) * 2);
    this.starting = false;
    this.cap = Math.min(this.cap ?? next, next);
    this.successes = 0;
  }

  /** A call went through: after `cap` of them in a row, one more may run at once. */
  succeeded(): void {
    if (this.cap === undefined) return;
    if (this.starting) {
      if (++this.cap >= this.ceiling) this.cap = undefined;
      this.wake();
      return;
    }
    if (++this.successes < this.cap) return;
    this.successes = 0;
    this.cap++;
    if (this.cap >= this.ceiling) this.cap = undefined;
    this.wake();
  }

  /** Current cap, undefined when none (for logs and tests). */
  get current(): number | undefined {
    return this.cap;
  }

  private wake(): void {
    while (this.waiting.length > 0 && (this.cap === undefined || this.inFlight < this.cap)) {
      this.inFlight++;
      this.waiting.shift()?.();
    }
  }
}
