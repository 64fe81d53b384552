import type { DatabaseHealth, Logger } from '@glaze/db';
import { ListenConnection } from '../feed/listen-connection';
import type { ChunkPayload } from './run-chunk';

/** Where start-run.sql announces a run's first chunks: `{"runId": 7, "chunkIds": [31, 32]}`. */
export const runStartedChannel = 'glaze_run_started';

/**
 * Chunks this path has in hand at once (a start announces at most four: start-run.sql); chunks
 * beyond it wait for their jobs, as every chunk did before.
 */
const maxChunks = 4;

export interface ClaimOnStartOptions {
  /** A session connection to the workers' database (none behind a transaction pooler). */
  url: string | undefined;
  logger: Logger;
  health: DatabaseHealth;
  /** The chunk task (run-chunk.ts): claims the chunk, or returns at once when it is not queued. */
  runChunk(payload: ChunkPayload, jobId: string): Promise<void>;
}

/**
 * A new run's first chunks, claimed when its start's NOTIFY arrives instead of after graphile-worker
 * has heard its own `jobs:insert` and fetched the jobs: a round trip less before a run's first results
 * (a tenth of a second on a database 100 ms away). The jobs still come: a chunk's job that finds the
 * chunk in hand here waits for it and ends with it; one fetched by another process finds it claimed
 * and ends. The claim itself is the job path's (fenced by the chunk's attempt, leased, handed back),
 * so a notification that is missed — connection lost, a transaction pooler that cannot LISTEN —
 * costs only that round trip.
 */
export class ClaimOnStart {
  /** Chunks in hand in this process, by either path: the other path leaves them alone. */
  private readonly inHand = new Map<number, Promise<void>>();
  private fromNotify = 0;
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
  job(payload: ChunkPayload, jobId: string): Promise<void> {
    return (
      this.inHand.get(payload.chunkId) ?? this.hold(payload.chunkId, this.options.runChunk(payload, jobId))
    );
  }

  /**
   * A run started (its NOTIFY): its first chunks are claimed now, up to `maxChunks` in hand by this
   * path at once.
   */
  private started(runId: number, chunkIds: readonly number[]): void {
    for (const chunkId of chunkIds) {
      if (this.closed || this.fromNotify >= maxChunks) return;
      if (this.inHand.has(chunkId)) continue;
      this.fromNotify++;
      const done = this.hold(chunkId, this.options.runChunk({ chunkId, runId }, 'on start'));
      done
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
      if (Number.isInteger(run?.runId) && Array.isArray(run.chunkIds)) this.started(run.runId, run.chunkIds);
    } catch {
      // not ours to read: nothing to claim
    }
  }

  /** Stops listening; then waits for the chunks this path has in hand. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close();
    await Promise.allSettled(this.inHand.values());
  }

  private hold(chunkId: number, running: Promise<void>): Promise<void> {
    const done = running.finally(() => {
      if (this.inHand.get(chunkId) === done) this.inHand.delete(chunkId);
    });
    this.inHand.set(chunkId, done);
    return done;
  }
}
