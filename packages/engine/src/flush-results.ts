import type { Json } from '@glaze/core';
import type { Logger, Pool } from '@glaze/db';
import { statements } from './sql';

/** The end of one cell's work, ready to be written. */
export interface CellOutcome {
  id: number;
  chunkId: number;
  /** The chunk attempt this result was computed under (the fence). */
  attempt: number;
  status: 'done' | 'error' | 'skipped';
  value: Json | null;
  error: string | null;
  tries: number;
  cost: number | null;
  meta: Record<string, Json> | null;
  /** When the provider call began (worker clock). */
  startedAt: Date | null;
}

/** A chunk whose last result is in a batch: it is closed in the same statement. */
export interface ChunkDone {
  chunkId: number;
  attempt: number;
}

export interface RunTotals {
  id: number;
  status: 'running' | 'done' | 'cancelled';
  cost: number;
  budget: number | null;
}

export interface FlusherOptions {
  /** Write as soon as this many results wait (one statement per flush). */
  maxBatch?: number;
  /** Longest a result waits for companions while other cells of its table are still in flight. */
  maxDelayMs?: number;
  logger: Logger;
  /** Called with the counters of every run a flush touched (budget checks, logs). */
  onRuns?: (runs: RunTotals[]) => void;
}

interface Pending {
  outcome: CellOutcome;
  closes?: ChunkDone;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface TableBuffer {
  pending: Pending[];
  /** Cells claimed for this table that have not reported yet. */
  inFlight: number;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

/**
 * Buffers cell results per table and writes each batch in one statement. A batch goes out when it is
 * full, when `maxDelayMs` passes, or at once when no other cell of the table is still running —
 * so 10 fast cells land in one round trip with no added delay, and 100,000 land in ~100.
 */
export class ResultFlusher {
  private readonly tables = new Map<number, TableBuffer>();
  private readonly active = new Set<Promise<void>>();
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  /** Statements issued, for tests and benchmarks. */
  flushes = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: FlusherOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 10;
  }

  /** Announces `count` claimed cells whose results will follow. */
  expect(tableId: number, count: number): void {
    this.buffer(tableId).inFlight += count;
  }

  /** Queues a result (the chunk's last one closes it); resolves once written or fenced off. */
  write(tableId: number, outcome: CellOutcome, closes?: ChunkDone): Promise<void> {
    const buffer = this.buffer(tableId);
    buffer.inFlight = Math.max(0, buffer.inFlight - 1);
    return new Promise((resolve, reject) => {
      buffer.pending.push({ outcome, closes, resolve, reject });
      if (buffer.pending.length >= this.maxBatch) this.flush(tableId);
      else if (buffer.inFlight === 0) this.schedule(tableId, buffer, 0);
      else this.schedule(tableId, buffer, this.maxDelayMs);
    });
  }

  /** Writes everything buffered and waits for writes in progress. */
  async drain(): Promise<void> {
    for (const tableId of this.tables.keys()) this.flush(tableId);
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private buffer(tableId: number): TableBuffer {
    let buffer = this.tables.get(tableId);
    if (!buffer) {
      buffer = { pending: [], inFlight: 0 };
      this.tables.set(tableId, buffer);
    }
    return buffer;
  }

  private schedule(tableId: number, buffer: TableBuffer, delayMs: number): void {
    if (buffer.timer && delayMs > 0) return;
    if (buffer.timer) stopTimer(buffer.timer);
    // A zero delay waits for the next turn of the event loop (setTimeout(0) would wait ≥ 1 ms), so
    // results from the same tick still join the batch.
    const flush = () => this.flush(tableId);
    buffer.timer = delayMs > 0 ? setTimeout(flush, delayMs) : setImmediate(flush);
  }

  private flush(tableId: number): void {
    const buffer = this.tables.get(tableId);
    if (!buffer) return;
    if (buffer.timer) stopTimer(buffer.timer);
    buffer.timer = undefined;
    const batch = buffer.pending.splice(0, buffer.pending.length);
    if (buffer.inFlight === 0 && buffer.pending.length === 0) this.tables.delete(tableId);
    if (batch.length === 0) return;
    const done = this.persist(tableId, batch).finally(() => this.active.delete(done));
    this.active.add(done);
  }

  private async persist(tableId: number, batch: Pending[]): Promise<void> {
    const outcomes = batch.map((p) => p.outcome);
    const closing = batch.flatMap((p) => (p.closes ? [p.closes] : []));
    // JSON.stringify turns the value/meta objects into JSON in place; Postgres parses them once.
    const values = [
      tableId,
      JSON.stringify(outcomes),
      closing.map((c) => c.chunkId),
      closing.map((c) => c.attempt),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        this.flushes++;
        const { rows } = await this.pool.query({ ...statements.flushResults, values });
        this.options.onRuns?.(rows[0].runs as RunTotals[]);
        for (const p of batch) p.resolve();
        return;
      } catch (error) {
        // A database blip should not cost finished work: retry, then give up to the lease sweeper.
        if (attempt >= 4) {
          this.options.logger.error({ err: error, tableId, cells: batch.length }, 'flush failed');
          for (const p of batch) p.reject(error as Error);
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * 4 ** attempt));
      }
    }
  }
}

function stopTimer(timer: NodeJS.Timeout | NodeJS.Immediate): void {
  if ('hasRef' in timer && 'refresh' in timer) clearTimeout(timer);
  else clearImmediate(timer as NodeJS.Immediate);
}
