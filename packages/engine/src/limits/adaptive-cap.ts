/**
 * How many calls of one provider this process lets run at once when nobody configured a limit and
 * the provider pushes back (HTTP 429). None until the first 429: then half of what was in flight,
 * growing by one each time that many calls in a row succeed (additive increase, multiplicative
 * decrease, as TCP finds a link's capacity), and gone again once it has doubled past where it
 * started. A configured concurrency limit (rate_limits) is separate and shared by every process;
 * this one is this process's own guess.
 */
export class AdaptiveCap {
  private cap: number | undefined;
  private ceiling = 0;
  private inFlight = 0;
  private successes = 0;
  private readonly waiting: Array<() => void> = [];
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
    if (this.cap === undefined) this.ceiling = Math.max(2, (this.inFlight + 1) * 2);
    this.cap = Math.min(this.cap ?? next, next);
    this.successes = 0;
  }

  /** A call went through: after `cap` of them in a row, one more may run at once. */
  succeeded(): void {
    if (this.cap === undefined || ++this.successes < this.cap) return;
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
