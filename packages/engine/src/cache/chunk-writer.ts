import type { ClaimedCell } from '../claim-chunk';
import type { ResultFlusher } from '../flush-results';
import type { CellRunResult } from '../run-cell';

/**
 * Hands one chunk's results to the flusher: the last one closes the chunk (in the same flush
 * statement), and rows that ended `done` are remembered for auto-run downstream columns.
 */
export class ChunkWriter {
  private remaining: number;
  readonly doneRows: number[] = [];

  constructor(
    private readonly flusher: ResultFlusher,
    private readonly tableId: number,
    private readonly chunkId: number,
    private readonly attempt: number,
    count: number,
  ) {
    this.remaining = count;
    flusher.expect(tableId, count);
  }

  write(cell: ClaimedCell, result: CellRunResult, startedAt: Date | null): Promise<void> {
    this.remaining--;
    if (result.status === 'done') this.doneRows.push(cell.rowId);
    const closes = this.remaining === 0 ? { chunkId: this.chunkId, attempt: this.attempt } : undefined;
    // Built field by field (no spread): this runs once per cell on the worker's hottest path.
    return this.flusher.write(
      this.tableId,
      {
        id: cell.id,
        chunkId: this.chunkId,
        attempt: this.attempt,
        status: result.status,
        value: result.value,
        error: result.error,
        tries: result.tries,
        cost: result.cost,
        meta: result.meta,
        startedAt,
      },
      closes,
    );
  }

  /** Results that will not come (their run was cancelled, e.g. at its budget, which closed the chunk). */
  skip(count: number): void {
    if (count <= 0) return;
    this.remaining -= count;
    this.flusher.expect(this.tableId, -count);
  }
}
