import type { ClaimedCell } from './claim-chunk';
import type { ResultFlusher, WriteSink } from './flush-results';
import type { CellRunResult } from './run-cell';

/**
 * Hands one chunk's results to the flusher: the last one closes the chunk (in the same flush
 * statement), and rows that ended `done` are remembered for auto-run downstream columns. It is the
 * sink of its own results, so 500 results cost one promise (`settled`), not 500.
 */
export class ChunkWriter implements WriteSink {
  private remaining: number;
  /** Results handed to the flusher and not yet written. */
  private unwritten = 0;
  private error?: Error;
  private abandoned = false;
  /** The flush carrying the last result closed the chunk; if not, the task closes it (close-chunk.sql). */
  closedByFlush = false;
  /** Results handed to the flusher so far. */
  handedOver = 0;
  private waiter?: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void };
  readonly doneRows: number[] = [];

  constructor(
    private readonly flusher: ResultFlusher,
    private readonly tableId: number,
    private readonly columnId: number,
    private readonly chunkId: number,
    private readonly attempt: number,
    count: number,
    /** Set when a worker died holding this chunk: recorded in each result's meta as `recovered`. */
    private readonly recovered?: { attempt: number; previousWorker: string },
    /** Told of each result handed over (metrics); not of those dropped after a hand-back. */
    private readonly onWrite?: (result: CellRunResult, startedAt: number | null) => void,
  ) {
    this.remaining = count;
    flusher.expect(tableId, count);
  }

  /** Hands over a result; see `settled` for when it is written. */
  write(cell: ClaimedCell, result: CellRunResult, startedAt: number | null): void {
    if (this.abandoned) return;
    this.onWrite?.(result, startedAt);
    this.remaining--;
    this.unwritten++;
    this.handedOver++;
    if (result.status === 'done') this.doneRows.push(cell.rowId);
    const closes = this.remaining === 0 ? { chunkId: this.chunkId, attempt: this.attempt } : undefined;
    // Built field by field (no spread): this runs once per cell on the worker's hottest path.
    const outcome = {
      columnId: this.columnId,
      rowId: cell.rowId,
      chunkId: this.chunkId,
      attempt: this.attempt,
      status: result.status,
      value: result.value,
      error: result.error,
      tries: result.tries,
      cost: result.cost,
      meta: this.recovered ? { ...result.meta, recovered: this.recovered } : result.meta,
      startedAt,
    };
    this.flusher.push(this.tableId, outcome, closes, this);
  }

  /** Results that will not come (their run was cancelled, e.g. at its budget, which closed the chunk). */
  skip(count: number): void {
    if (count <= 0 || this.abandoned) return;
    this.remaining -= count;
    this.flusher.expect(this.tableId, -count);
  }

  /**
   * The chunk is being handed back: results from now on are dropped (their cells stay queued for the
   * next claim) and the flusher stops waiting for them.
   */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.flusher.expect(this.tableId, -this.remaining);
    this.remaining = 0;
  }

  /** Resolves when every result handed over so far is written; rejects if one could not be. */
  settled(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.unwritten === 0) return Promise.resolve();
    if (!this.waiter) {
      let resolve = () => {};
      let reject: (error: Error) => void = () => {};
      const promise = new Promise<void>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      this.waiter = { promise, resolve, reject };
    }
    return this.waiter.promise;
  }

  /** @internal the flusher wrote this chunk's last result, closing the chunk or not. */
  closed(closed: boolean): void {
    this.closedByFlush = closed;
  }

  /** @internal the flusher wrote one of this chunk's results. */
  written(): void {
    this.unwritten--;
    if (this.unwritten === 0 && this.waiter) {
      this.waiter.resolve();
      this.waiter = undefined;
    }
  }

  /** @internal the flusher gave up on one of this chunk's results. */
  failed(error: Error): void {
    this.unwritten--;
    this.error ??= error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }
}
