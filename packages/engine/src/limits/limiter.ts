/** Bounds how many async tasks run at once; the rest wait in FIFO order. */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /**
   * Takes a slot: undefined when one was free (no promise, no tick: the common case on the hot
   * path), else a promise that resolves when a slot passes to this caller. Pair with `leave()`.
   */
  enter(): Promise<void> | undefined {
    if (this.running < this.max) {
      this.running++;
      return undefined;
    }
    // The slot is handed over by `leave`, so `running` already counts this caller when it resolves.
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back: to the longest waiter, if any. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
