/**
 * Calls of a column in flight before its first answer tells what its answers weigh: enough to fill
 * a provider's concurrency while small answers are the rule, few enough that 16 pages of a few MB
 * stay far below a worker's memory.
 */
const callsBeforeFirstAnswer = 16;

/** One column's calls, as the Limiter sees them. */
interface ColumnCalls {
  inFlight: number;
  /** Characters of JSON per answer so far (undefined until the first answer). */
  size?: number;
  waiting: Array<() => void>;
}

/**
 * Bounds the worker's provider calls: at most `max` in flight, and the answers they bring within a
 * memory budget (`memoryChars`, characters of JSON). Without the budget an `http` column of 3 MB
 * pages kept 200 calls in flight, each answer copied four or five times on its way to the database:
 * 2.5–2.9 GB of RSS for 400 cells, and cells timed out while the saturated event loop read bodies.
 *
 * A call of a column starts only if its calls in flight, each counted at what the column's answers
 * have weighed so far (the first answer, then moved a tenth of the way by each next one), with the
 * answers waiting for their write (handed to the flusher, not yet written), fit in the budget; a
 * column has `callsBeforeFirstAnswer` (16) calls in flight at most before its first answer, and none
 * starts while unwritten answers exceed the budget. A column's calls never wait for another column's calls in flight (a
 * provider throttling its calls for 30 s must not hold back a column calling another), only for its
 * own and for unwritten answers, which a flush clears within milliseconds. One call always starts
 * when none is in flight, and one of a column with none in flight whose answers alone exceed the
 * budget.
 */
export class Limiter {
  private running = 0;
  /** Answers handed to the flusher and not yet written. */
  private held = 0;
  private readonly columns = new Map<number, ColumnCalls>();
  /** Columns with calls waiting, in the order they first waited. */
  private readonly waitingColumns = new Set<ColumnCalls>();

  constructor(
    private readonly max: number,
    private readonly memoryChars = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Takes a slot for a call of this column: undefined when one was free (no promise, no tick: the
   * common case on the hot path), else a promise that resolves when the slot passes to this caller.
   * Pair with `leave(columnId)`.
   */
  enter(columnId: number): Promise<void> | undefined {
    const column = this.column(columnId);
    if (column.waiting.length === 0 && this.fits(column)) {
      this.running++;
      column.inFlight++;
      return undefined;
    }
    this.waitingColumns.add(column);
    // `admit` counts this caller in before it resolves.
    return new Promise<void>((resolve) => column.waiting.push(resolve));
  }

  /** Gives a slot back: to the calls waiting that now fit, if any. */
  leave(columnId: number): void {
    this.running--;
    const column = this.columns.get(columnId);
    if (column) column.inFlight--;
    this.admit();
  }

  /** An answer of this column, `chars` long, waits for its write (and tells the column's size). */
  hold(columnId: number, chars: number): void {
    this.held += chars;
    const column = this.column(columnId);
    column.size = column.size === undefined ? chars : column.size + (chars - column.size) / 10;
  }

  /** Answers `chars` long in all are written (or dropped): their memory is free. */
  release(chars: number): void {
    this.held -= chars;
    this.admit();
  }

  private column(columnId: number): ColumnCalls {
    let column = this.columns.get(columnId);
    if (!column) {
      column = { inFlight: 0, waiting: [] };
      this.columns.set(columnId, column);
      if (this.columns.size > 1000) this.forgetIdle();
    }
    return column;
  }

  /** Drops what is known of columns with nothing in flight or waiting (the oldest first). */
  private forgetIdle(): void {
    for (const [id, column] of this.columns) {
      if (this.columns.size <= 500) return;
      if (column.inFlight === 0 && column.waiting.length === 0) this.columns.delete(id);
    }
  }

  private fits(column: ColumnCalls): boolean {
    if (this.running >= this.max) return false;
    if (this.running === 0 || !Number.isFinite(this.memoryChars)) return true;
    if (this.held > this.memoryChars) return false;
    if (column.size === undefined) return column.inFlight < callsBeforeFirstAnswer;
    // one call of a column whose answers alone exceed the budget still goes, when it has none in flight
    return column.inFlight === 0 || (column.inFlight + 1) * column.size + this.held <= this.memoryChars;
  }

  private admit(): void {
    for (const column of this.waitingColumns) {
      for (let next = column.waiting[0]; next && this.fits(column); next = column.waiting[0]) {
        column.waiting.shift();
        this.running++;
        column.inFlight++;
        next();
      }
      if (column.waiting.length === 0) this.waitingColumns.delete(column);
      if (this.running >= this.max) return;
    }
  }
}
