import { type DatabaseOutage, databaseOutage, outageLabel, refusesWrites } from './database-errors';
import type { Logger } from './logger';
import type { Pool } from './pool';

export interface DatabaseHealthOptions {
  /** What the operator calls this database: the variable its URL came from (`WORKER_DATABASE_URL`). */
  name: string;
  /** First wait between probes while the database is away; doubles up to `maxProbeMs`. */
  probeMs?: number;
  maxProbeMs?: number;
  /**
   * Why the database cannot be reached, when the process knows better than its errors: the embedded
   * Postgres's supervisor, which could not start it again (EmbeddedPostgresHandle.restartFailure).
   */
  diagnose?: () => string | undefined;
}

/**
 * Whether a process's database can do its work, told by the errors its statements meet. The first
 * error that means an outage — unreachable, or refusing writes (disk full, read-only) — logs one
 * line and starts probing (backing off to `maxProbeMs`): `select 1` while unreachable; while writes
 * are refused, a write that must grow a file (`glaze_probe_write()`, migration 039), since a full
 * disk still answers `select 1`. The first probe that passes logs one line (both at warn, so they
 * show together) and wakes everything waiting in `whenAvailable()`. So an outage of any length
 * costs two log lines, and work that met it waits instead of failing.
 * @example if (health.failed(error)) { await health.whenAvailable(); return retry(); }
 */
export class DatabaseHealth {
  private down: { since: number; cause: DatabaseOutage; back: Promise<void>; wake: () => void } | undefined;
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

  /** Statements whose writes the database refused (disk full, read-only), since this was made (for metrics). */
  writesRefusedErrors = 0;

  get available(): boolean {
    return this.down === undefined;
  }

  /** Why it is unreachable, when something knows (`diagnose`); undefined otherwise. */
  get diagnosis(): string | undefined {
    return this.options.diagnose?.();
  }

  /** What keeps the database from the work now (undefined while it takes it). */
  get outage(): DatabaseOutage | undefined {
    return this.down?.cause;
  }

  /**
   * Reports an error a statement met. Answers whether it means an outage (the database unreachable,
   * or refusing writes); if so (and nobody noticed yet) logs it once and starts probing for its end.
   */
  failed(error: unknown): boolean {
    const cause = databaseOutage(error);
    if (cause === undefined) return false;
    if (refusesWrites(cause)) this.writesRefusedErrors++;
    else this.unreachableErrors++;
    if (!this.down && !this.closed) {
      let wake = () => {};
      const back = new Promise<void>((resolve) => {
        wake = resolve;
      });
      this.down = { since: Date.now(), cause, back, wake };
      this.logger.warn(
        { database: this.options.name, err: (error as Error).message },
        `${outageLabel(cause)}; work waits and resumes when ${refusesWrites(cause) ? 'it takes them again' : 'it is back'}`,
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
   * Runs `work`, and again each time it fails for an outage, once the outage is over.
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
      const cause = this.down?.cause;
      const probe = cause && refusesWrites(cause) ? 'select glaze_probe_write()' : 'select 1';
      this.pool.query(probe).then(
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
      refusesWrites(down.cause) ? 'database takes writes again' : 'database is back',
    );
    down.wake();
  }
}
