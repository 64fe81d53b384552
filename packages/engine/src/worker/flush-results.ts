import { storableJson, storableText } from '@glaze/core';
import type { DatabaseHealth, Logger, Pool } from '@glaze/db';
import { ValuePathRecorder } from '../csv/record-value-paths';
import type { CellRunResult } from './run-cell';
import { statements } from './statements';

/** The end of one cell's work (what `runCell` decided), with its key and fence, ready to be written. */
export interface CellOutcome extends CellRunResult {
  /** The cell's key. */
  columnId: number;
  rowId: number;
  chunkId: number;
  /** The chunk attempt this result was computed under (the fence). */
  attempt: number;
  /** When the provider call began (worker clock, epoch milliseconds). */
  startedAt: number | null;
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
  /** Write as soon as the waiting results' values and meta reach this many characters of JSON. */
  maxBatchChars?: number;
  /** Longest a result waits for companions while other cells of its table are still in flight. */
  maxDelayMs?: number;
  logger: Logger;
  /** Told of errors; a flush that meets an unreachable database waits for it instead of giving up. */
  health?: DatabaseHealth;
  /** Called with the counters of every run a flush touched (budget checks, logs). */
  onRuns?: (runs: RunTotals[]) => void;
  /** Told of the answers waiting for their write (the worker's Limiter: its memory budget). */
  memory?: AnswerMemory;
}

/** Keeps count of the answers in memory: each held when queued, released once its flush ends. */
export interface AnswerMemory {
  hold(columnId: number, chars: number): void;
  release(chars: number): void;
}

/** Told when a result is written (or fenced off) or when writing it failed for good. */
export interface WriteSink {
  written(): void;
  failed(error: Error): void;
  /** For a result that closes its chunk: whether the statement closed it (see close-chunk.sql). */
  closed?(closed: boolean): void;
}

interface Pending {
  outcome: CellOutcome;
  closes: ChunkDone | undefined;
  sink: WriteSink;
  /** The outcome's value and meta as JSON, encoded once when it is queued (their size counts). */
  value: string;
  meta: string;
}

/**
 * A flush's values and meta, at most (one result over it goes alone). A flush's values travel as one
 * `jsonb` array, which Postgres caps at 256 MB: 100 answers of 3 MB each (an `http` column reading
 * web pages) failed every flush, and the run stayed `running` while its chunks' jobs were retried,
 * calling the provider again each time. A batch of 1,000 small results is ~1 MB.
 */
const defaultMaxBatchChars = 32 * 1024 * 1024;

/**
 * The most one cell's value can hold, as JSON: a larger one is written as the cell's error instead
 * (a `jsonb` value cannot exceed 256 MB, and every read of the cell carries it). Providers that read
 * a response stop at 5 MB; this bounds values built in the worker (formulas, waterfalls).
 */
export const maxCellValueChars = 64 * 1024 * 1024;

interface TableBuffer {
  pending: Pending[];
  /** Characters of JSON (values and meta) in `pending`. */
  chars: number;
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
  private readonly maxBatchChars: number;
  private readonly maxDelayMs: number;
  /** Statements issued, for tests and benchmarks. */
  flushes = 0;
  private readonly paths: ValuePathRecorder;

  constructor(
    private readonly pool: Pool,
    private readonly options: FlusherOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxBatchChars = options.maxBatchChars ?? defaultMaxBatchChars;
    this.maxDelayMs = options.maxDelayMs ?? 10;
    this.paths = new ValuePathRecorder();
  }

  /** Announces `count` claimed cells whose results will follow. */
  expect(tableId: number, count: number): void {
    this.buffer(tableId).inFlight += count;
  }

  /** Queues a result (the chunk's last one closes it); resolves once written or fenced off. */
  write(tableId: number, outcome: CellOutcome, closes?: ChunkDone): Promise<void> {
    return new Promise((written, failed) => this.push(tableId, outcome, closes, { written, failed }));
  }

  /** `write` without a promise per result: the sink hears how it went (the worker's hot path). */
  push(tableId: number, outcome: CellOutcome, closes: ChunkDone | undefined, sink: WriteSink): void {
    const buffer = this.buffer(tableId);
    buffer.inFlight = Math.max(0, buffer.inFlight - 1);
    const queued = encodePending(outcome, closes, sink);
    const chars = queued.value.length + queued.meta.length;
    buffer.pending.push(queued);
    buffer.chars += chars;
    this.options.memory?.hold(outcome.columnId, chars);
    if (buffer.pending.length >= this.maxBatch || buffer.chars >= this.maxBatchChars) this.flush(tableId);
    else if (buffer.inFlight === 0) this.schedule(tableId, buffer, 0);
    else this.schedule(tableId, buffer, this.maxDelayMs);
  }

  /** Writes everything buffered and waits for writes in progress. */
  async drain(): Promise<void> {
    for (const tableId of this.tables.keys()) this.flush(tableId);
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private buffer(tableId: number): TableBuffer {
    let buffer = this.tables.get(tableId);
    if (!buffer) {
      buffer = { pending: [], chars: 0, inFlight: 0 };
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
    const chars = buffer.chars;
    buffer.chars = 0;
    if (buffer.inFlight === 0 && buffer.pending.length === 0) this.tables.delete(tableId);
    if (batch.length === 0) return;
    const done = this.persist(tableId, batch).finally(() => {
      this.active.delete(done);
      this.options.memory?.release(chars);
    });
    this.active.add(done);
  }

  private async persist(tableId: number, batch: Pending[]): Promise<void> {
    // Loops, not flatMap: a one-element array per result was 11 MB of a 100,000-cell run's garbage.
    const closing: ChunkDone[] = [];
    const done: CellOutcome[] = [];
    for (const p of batch) {
      if (p.closes) closing.push(p.closes);
      if (p.outcome.status === 'done' && p.outcome.value !== null) done.push(p.outcome);
    }
    const values: unknown[] = [
      tableId,
      ...encodeOutcomes(batch),
      closing.map((c) => c.chunkId),
      closing.map((c) => c.attempt),
    ];
    // The export header's paths in the same statement (none when this process has recorded them all):
    // once a run's last result is written, an export must find every field it fills.
    const paths = this.paths.pending(done);
    values.push(...paths.values);
    const write = async () => {
      this.flushes++;
      return this.pool.query({ ...statements.flushResults, values });
    };
    const { health } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        // Finished work is never dropped for want of a database: `retry` waits for it and writes
        // then (the chunk's attempt still fences the write if the chunk was taken over meanwhile).
        const { rows } = await (health ? health.retry(write) : write());
        paths.remember();
        this.options.onRuns?.(rows[0].runs as RunTotals[]);
        if (closing.length > 0) {
          const finished = new Set(rows[0].finishedChunks as number[]);
          for (const p of batch) if (p.closes) p.sink.closed?.(finished.has(p.closes.chunkId));
        }
        for (const p of batch) p.sink.written();
        return;
      } catch (error) {
        // A result the database refuses as data (a value nested deeper than it parses: 54001) is
        // refused every time: found by halves and written as its cell's error, the others as they are.
        if (refusedAsData(error)) return this.isolate(tableId, batch, error as Error);
        // Anything else is retried a few times, then left to the reconciler (the chunk stays open).
        if (attempt >= 4) {
          this.options.logger.error({ err: error, tableId, cells: batch.length }, 'flush failed');
          for (const p of batch) p.sink.failed(error as Error);
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * 4 ** attempt));
      }
    }
  }

  /**
   * Writes a batch the database refused as data in halves, down to the one result it refuses, which
   * is written as an error naming the database's reason. Before, the whole batch failed its flush
   * four times, then its chunk's job three times, calling the provider again for every cell of it.
   */
  private async isolate(tableId: number, batch: Pending[], error: Error): Promise<void> {
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await this.persist(tableId, batch.slice(0, half));
      await this.persist(tableId, batch.slice(half));
      return;
    }
    const [refused] = batch as [Pending];
    if (refused.outcome.status === 'error' && refused.value === 'null' && refused.meta === 'null') {
      // nothing of the answer is left in it: the refusal is not the answer's
      this.options.logger.error({ err: error, tableId, cells: 1 }, 'flush failed');
      refused.sink.failed(error);
      return;
    }
    const message = `the answer could not be stored: ${error.message}`;
    await this.persist(tableId, [asError(refused.outcome, refused.closes, refused.sink, 'null', message)]);
  }
}

/** Errors of the data a statement carried (class 22: data exception; 54: a limit such as nesting depth). */
function refusedAsData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/**
 * The batch as column arrays: numbers and status words as Postgres array literals (built with
 * `join`: nothing to escape), values, errors and meta as three JSON arrays. Postgres parses
 * positional arrays for a fraction of what it spends on one JSON object per cell with ten keys
 * (a 500-cell flush: 4 ms of parameter parsing before this change).
 */
function encodeOutcomes(batch: Pending[]): string[] {
  const n = batch.length;
  const columns = new Array<number>(n);
  const rows = new Array<number>(n);
  const chunks = new Array<number>(n);
  const attempts = new Array<number>(n);
  const statuses = new Array<string>(n);
  const tries = new Array<number>(n);
  const costs = new Array<number | string>(n);
  const started = new Array<number | string>(n);
  const values = new Array<string>(n);
  const errors = new Array<string | null>(n);
  const metas = new Array<string>(n);
  batch.forEach(({ outcome: o, value, meta }, i) => {
    columns[i] = o.columnId;
    rows[i] = o.rowId;
    chunks[i] = o.chunkId;
    attempts[i] = o.attempt;
    statuses[i] = o.status;
    tries[i] = o.tries;
    costs[i] = o.cost ?? 'NULL';
    started[i] = o.startedAt ?? 'NULL';
    values[i] = value;
    errors[i] = o.error;
    metas[i] = meta;
  });
  const literal = (items: Array<number | string>) => `{${items.join(',')}}`;
  return [
    literal(columns),
    literal(rows),
    literal(chunks),
    literal(attempts),
    literal(statuses),
    literal(tries),
    literal(costs),
    literal(started),
    `[${values.join(',')}]`,
    JSON.stringify(errors),
    `[${metas.join(',')}]`,
  ];
}

/**
 * A result as it waits for its flush: its value and meta encoded now, so the batch knows its size.
 * A value too large for a cell becomes the cell's error, naming its size. What Postgres cannot store
 * (U+0000, a lone surrogate) is replaced (storable.ts): it would fail the whole batch's flush.
 */
function encodePending(given: CellOutcome, closes: ChunkDone | undefined, sink: WriteSink): Pending {
  const storable = given.error === null ? null : storableText(given.error);
  const outcome = storable === given.error ? given : { ...given, error: storable };
  let value: string;
  let meta: string;
  try {
    value = storableJson(outcome.value) ?? 'null';
    meta = storableJson(outcome.meta) ?? 'null';
  } catch (error) {
    // JSON.stringify's recursion ends near 5,000 levels of nesting ("Maximum call stack size exceeded")
    return asError(
      outcome,
      closes,
      sink,
      'null',
      `value: cannot be written as JSON (${(error as Error).message})`,
    );
  }
  if (value.length <= maxCellValueChars) return { outcome, closes, sink, value, meta };
  const megabytes = (value.length / 1024 / 1024).toFixed(1);
  const tooLarge = `value: ${megabytes} MB of JSON, more than a cell holds (${maxCellValueChars / 1024 / 1024} MB)`;
  return asError(outcome, closes, sink, meta, tooLarge);
}

/** A result as its cell's error instead of its value (which is dropped; `meta` as given, encoded). */
function asError(
  outcome: CellOutcome,
  closes: ChunkDone | undefined,
  sink: WriteSink,
  meta: string,
  error: string,
): Pending {
  const outcomeAsError: CellOutcome = {
    ...outcome,
    status: 'error',
    value: null,
    meta: meta === 'null' ? null : outcome.meta,
    error: storableText(error),
  };
  return { outcome: outcomeAsError, closes, sink, value: 'null', meta };
}

function stopTimer(timer: NodeJS.Timeout | NodeJS.Immediate): void {
  if ('hasRef' in timer && 'refresh' in timer) clearTimeout(timer);
  else clearImmediate(timer as NodeJS.Immediate);
}
