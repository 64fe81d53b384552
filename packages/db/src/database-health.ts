import { isDatabaseUnavailable } from './database-errors';
import type { Logger } from './logger';
import type { Pool } from './pool';

export interface DatabaseHealthOptions {
  /** What the operator calls this database: the variable its URL came from (`WORKER_DATABASE_URL`). */
  name: string;
  /** First wait between probes while the database is away; doubles up to `maxProbeMs`. */
  probeMs?: number;
  maxProbeMs?: number;
}

/**
 * Whether a process can reach its database, told by the errors its statements meet. The first
 * "unreachable" error logs one line and starts probing (`select 1`, backing off to `maxProbeMs`);
 * the first answer logs one line (both at warn, so they show together) and wakes everything waiting in `whenAvailable()`. So an outage of
 * any length costs two log lines, and work that met it waits instead of failing.
 * @example if (health.failed(error)) { await health.whenAvailable(); return retry(); }
 */
export class DatabaseHealth {
  private down: { since: number; back: Promise<void>; wake: () => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly probeMs: number;
  private readonly maxProbeMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly options: DatabaseHealthOptions,
  ) {
    this.probeMs = options.probeMs ?? 250;
    this.maxProbeMs = options.maxProbeMs ?? 2000;
  }

  /** When the database last came back from an outage (epoch ms; 0: never away). */
  backAt = 0;

  /** Statements that failed because the database was unreachable, since this was made (for metrics). */
  unreachableErrors = 0;

  get available(): boolean {
    return this.down === undefined;
  }

  /**
   * Reports an error a statement met. Answers whether it means the database is unreachable; if so
   * (and nobody noticed yet) logs it once and starts probing for its return.
   */
  failed(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    this.unreachableErrors++;
    if (!this.down && !this.closed) {
      let wake = () => {};
      const back = new Promise<void>((resolve) => {
        wake = resolve;
      });
      this.down = { since: Date.now(), back, wake };
      this.logger.warn(
        { database: this.options.name, err: (error as Error).message },
        'database unreachable; work waits and resumes when it is back',
      );
      this.probe(this.probeMs);
    }
    return true;
  }

  /** Resolves at once while the database answers, else when it is back (or this is closed). */
  whenAvailable(): Promise<void> {
    return this.down?.back ?? Promise.resolve();
  }

  /**
   * Runs `work`, and again each time it fails because the database is unreachable, once it is back.
   * Only for work that is safe to repeat (reads, fenced or idempotent writes). Other errors go through.
   */
  async retry<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!this.failed(error) || this.closed) throw error;
        await this.whenAvailable();
      }
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.down?.wake();
  }

  private probe(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.pool.query('select 1').then(
        () => this.recovered(),
        () => {
          if (!this.closed) this.probe(Math.min(delayMs * 2, this.maxProbeMs));
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private recovered(): void {
    const down = this.down;
    if (!down) return;
    this.down = undefined;
    this.backAt = Date.now();
    this.logger.warn(
      { database: this.options.name, downSeconds: Math.round((Date.now() - down.since) / 100) / 10 },
      'database is back',
    );
    down.wake();
  }
}
