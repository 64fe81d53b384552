import type { DatabaseHealth, Logger } from '@glaze/db';
import { ListenConnection } from '../feed/listen-connection';
import type { ExpandedBatch, ExpandPayload } from '../runs/expand-run';
import type { ChunkPayload } from './run-chunk';

/**
 * Where start-run.sql announces a run's first chunks, and how it expands when more follow:
 * `{"runId": 7, "chunkIds": [31, 32, 33, 34], "expand": {"chunkSize": 500, "rows": 10000}}`.
 */
export const runStartedChannel = 'glaze_run_started';

interface RunStarted {
  runId: number;
  chunkIds: number[];
  expand?: Omit<ExpandPayload, 'runId'> | null;
}

export interface ClaimOnStartOptions {
  /** A session connection to the workers' database (none behind a transaction pooler). */
  url: string | undefined;
  logger: Logger;
  health: DatabaseHealth;
  /**
   * Chunks this path has in hand at once (a start announces at most four, its expansion's first batch
   * more); chunks beyond it wait for their jobs, as every chunk did before. Default 8, the jobs a
   * worker runs at once.
   */
  maxChunks?: number;
  /**
   * The chunk task (run-chunk.ts): claims the chunk, or returns at once when it is not queued; true
   * once every result of the chunk is written.
   */
  runChunk(payload: ChunkPayload, jobId: string): Promise<boolean>;
  /** Queues a run's next batch of cells (expand-run.ts), as its `glaze_expand` job would. */
  expand(payload: ExpandPayload): Promise<ExpandedBatch | undefined>;
}

/**
 * A new run's first chunks, claimed when its start's NOTIFY arrives instead of after graphile-worker
 * has heard its own `jobs:insert` and fetched the jobs: a round trip less before a run's first results
 * (a tenth of a second on a database 100 ms away). The jobs still come: a chunk's job that finds the
 * chunk in hand here waits for it and ends with it; one fetched by another process finds it claimed
 * and ends. The claim itself is the job path's (fenced by the chunk's attempt, leased, handed back),
 * so a notification that is missed — connection lost, a transaction pooler that cannot LISTEN —
 * costs only that round trip.
 *
 * A run with more rows than its start covers is expanded here too, at once: its `glaze_expand` job
 * would run a job fetch later, and its batch's chunks a second fetch after that. The batch's first
 * chunks are claimed as the start's are. Expanding is idempotent (the run's lock and cursor: a later
 * batch, or nothing, for whoever comes next), and the batch queues the next batch's job under the
 * same job key, so the job the start queued is replaced, not doubled.
 */
export class ClaimOnStart {
  /** Chunks in hand in this process, by either path: the other path leaves them alone. */
  private readonly inHand = new Map<number, Promise<unknown>>();
  /**
   * Chunks this path claimed and wrote whole, whose job has not come yet: it ends at once instead of
   * sending a claim that finds the chunk done (a round trip in a job slot; 4 of 24 claims of a
   * 10,000-cell run). Once only: a chunk sent back to the queue later comes with a job that must run.
   */
  private readonly writtenHere = new Set<number>();
  private fromNotify = 0;
  /** Expansions begun here, awaited by `close()`. */
  private readonly expansions = new Set<Promise<void>>();
  private connection: ListenConnection | undefined;
  private closed = false;

  constructor(private readonly options: ClaimOnStartOptions) {}

  /** LISTENs; a worker that cannot (no URL, database refusing) goes on with the job path alone. */
  async listen(): Promise<void> {
    const { url, logger, health } = this.options;
    if (!url) return;
    const connection = new ListenConnection({
      url,
      logger,
      health,
      onNotify: (_channel, payload) => this.notified(payload),
      // Notifications missed while away cost nothing but a round trip: the jobs carry every chunk.
      onState: () => {},
    });
    try {
      await connection.connect();
      await connection.listen(runStartedChannel);
      this.connection = connection;
    } catch (error) {
      await connection.close();
      logger.warn({ err: error }, "LISTEN for run starts failed: a run's chunks wait for their jobs");
    }
  }

  /** A chunk's job: runs the chunk, or, when this process has it in hand already, ends with it. */
  async job(payload: ChunkPayload, jobId: string): Promise<void> {
    const held = this.inHand.get(payload.chunkId);
    if (held) await held;
    else if (!this.writtenHere.delete(payload.chunkId))
      await this.hold(payload.chunkId, this.options.runChunk(payload, jobId));
  }

  /** A run started (its NOTIFY): its first chunks are claimed now, and its next batch queued. */
  private started(run: RunStarted): void {
    this.claim(run.runId, run.chunkIds);
    if (!run.expand || this.closed) return;
    const expanding = this.expand({ runId: run.runId, ...run.expand });
    this.expansions.add(expanding);
    void expanding.finally(() => this.expansions.delete(expanding));
  }

  private async expand(payload: ExpandPayload): Promise<void> {
    try {
      const batch = await this.options.expand(payload);
      if (batch) this.claim(payload.runId, batch.chunkIds);
    } catch (error) {
      this.options.logger.warn(
        { err: error, runId: payload.runId },
        'expanding a run on its start failed; its job expands it',
      );
    }
  }

  /** Claims these chunks of a run now, up to `maxChunks` in hand by this path at once. */
  private claim(runId: number, chunkIds: readonly number[]): void {
    for (const chunkId of chunkIds) {
      if (this.closed || this.fromNotify >= (this.options.maxChunks ?? 8)) return;
      if (this.inHand.has(chunkId)) continue;
      this.fromNotify++;
      const done = this.hold(chunkId, this.options.runChunk({ chunkId, runId }, 'on start'));
      done
        .then((written) => {
          if (!written) return;
          this.writtenHere.add(chunkId);
          // jobs fetched by other processes never come here: forget the oldest
          if (this.writtenHere.size > 10_000)
            this.writtenHere.delete(this.writtenHere.values().next().value as number);
        })
        // its job, if this process fetches it, fails with the same error and is retried
        .catch((error) =>
          this.options.logger.warn({ err: error, runId, chunkId }, 'chunk claimed on start failed'),
        )
        .finally(() => this.fromNotify--);
    }
  }

  private notified(payload: string | undefined): void {
    try {
      const run = JSON.parse(payload ?? '');
      if (Number.isInteger(run?.runId) && Array.isArray(run.chunkIds)) this.started(run as RunStarted);
    } catch {
      // not ours to read: nothing to claim
    }
  }

  /** Stops listening; then waits for the chunks this path has in hand. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close();
    await Promise.allSettled(this.expansions);
    await Promise.allSettled(this.inHand.values());
  }

  private hold<T>(chunkId: number, running: Promise<T>): Promise<T> {
    const done = running.finally(() => {
      if (this.inHand.get(chunkId) === done) this.inHand.delete(chunkId);
    });
    this.inHand.set(chunkId, done);
    return done;
  }
}
