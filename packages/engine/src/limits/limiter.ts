/**
 * Bounds the worker's provider calls: at most `max` in flight, and the answers they bring within a
 * memory budget. A call is admitted only if what it is expected to bring (its column's answers so
 * far, as JSON characters), with the calls in flight and the answers waiting for their write, fits
 * in `memoryChars`; the rest wait in FIFO order. Without it an `http` column of 3 MB pages kept 200
 * calls in flight, each answer copied four or five times on its way to the database: 2.5–2.9 GB of
 * RSS for 400 cells, and cells timed out while the saturated event loop read their bodies.
 *
 * A column's first calls are expected to bring a sixteenth of the budget each (so 16 go out before
 * anything is known); its first answer replaces that guess and later ones move it a tenth of the way.
 * One call is always admitted when none is in flight, whatever it is expected to bring.
 */
export class Limiter {
  private running = 0;
  /** What the calls in flight are expected to bring. */
  private reserved = 0;
  /** Answers handed to the flusher and not yet written. */
  private held = 0;
  private readonly waiting: Array<{ columnId: number; resolve: (cost: number) => void }> = [];
  /** Characters of JSON per answer, by column. */
  private readonly sizes = new Map<number, number>();

  constructor(
    private readonly max: number,
    private readonly memoryChars = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Takes a slot for a call of this column: what the call is expected to bring (in characters of
   * JSON, reserved until `leave`) when one was free — a number, no promise, no tick: the common case
   * on the hot path — else a promise of it once a slot passes to this caller. The expectation is read
   * when the slot is taken, so calls queued before the column's first answer use that answer.
   */
  enter(columnId: number): number | Promise<number> {
    if (this.waiting.length === 0) {
      const cost = this.expected(columnId);
      if (this.fits(cost)) {
        this.running++;
        this.reserved += cost;
        return cost;
      }
    }
    // `admit` counts this caller in `running` before it resolves.
    return new Promise<number>((resolve) => this.waiting.push({ columnId, resolve }));
  }

  /** Gives a slot back, with what its call was expected to bring (`enter`'s answer): to the longest waiters that now fit. */
  leave(cost: number): void {
    this.running--;
    this.reserved -= cost;
    this.admit();
  }

  /** An answer of this column, `chars` long, waits for its write (and tells the column's size). */
  hold(columnId: number, chars: number): void {
    this.held += chars;
    const known = this.sizes.get(columnId);
    this.sizes.set(columnId, known === undefined ? chars : known + (chars - known) / 10);
    if (this.sizes.size > 1000) this.sizes.delete(this.sizes.keys().next().value as number);
  }

  /** Answers `chars` long in all are written (or dropped): their memory is free. */
  release(chars: number): void {
    this.held -= chars;
    this.admit();
  }

  private expected(columnId: number): number {
    const known = this.sizes.get(columnId);
    if (known !== undefined) return known;
    return Number.isFinite(this.memoryChars) ? this.memoryChars / 16 : 0;
  }

  private fits(cost: number): boolean {
    return (
      this.running < this.max && (this.running === 0 || this.reserved + this.held + cost <= this.memoryChars)
    );
  }

  private admit(): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      const cost = this.expected(next.columnId);
      if (!this.fits(cost)) return;
      this.waiting.shift();
      this.running++;
      this.reserved += cost;
      next.resolve(cost);
    }
  }
}
