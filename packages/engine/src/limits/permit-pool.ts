export interface PermitPoolOptions {
  /** How often a process that waits for permits asks again (others may have released some). */
  pollMs: number;
  /** Permits are renewed every third of this; a dead process's permits free up after it. */
  leaseSeconds: number;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * Concurrency permits of one process for one provider. Permits come from Postgres in batches
 * (`hold(n)` asks to hold n in total and answers how many it got): a process asks again only when
 * its calls outnumber what it holds, and gives permits back shortly after its calls drop. A call
 * never costs a statement of its own.
 */
export class PermitPool {
  private held = 0;
  private inUse = 0;
  private readonly waiters: Waiter[] = [];
  private syncing?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private trim?: NodeJS.Timeout;
  private readonly renew: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly hold: (wanted: number) => Promise<number>,
    private readonly options: PermitPoolOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.renew = setInterval(
      () => {
        if (this.held > 0) void this.sync();
      },
      (options.leaseSeconds * 1000) / 3,
    );
    this.renew.unref();
  }

  /** Waits for a permit. */
  take(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.inUse < this.held && this.waiters.length === 0) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      void this.sync();
    });
  }

  give(): void {
    this.inUse = Math.max(0, this.inUse - 1);
    this.wake();
    if (this.waiters.length === 0 && !this.trim) {
      // Give idle permits back soon, but not between two calls of a steady stream.
      this.trim = setTimeout(() => {
        this.trim = undefined;
        if (this.held > this.inUse + this.waiters.length) void this.sync();
      }, 50);
      this.trim.unref();
    }
  }

  /** Gives every permit back. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.renew);
    clearTimeout(this.retry);
    clearTimeout(this.trim);
    await this.syncing;
    if (this.held > 0) {
      this.held = await this.hold(0).catch(() => 0);
    }
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.inUse < this.held) {
      this.inUse++;
      this.waiters.shift()?.resolve();
    }
  }

  private sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.syncing ??= (async () => {
      let refused = false;
      try {
        // Ask again at once while calls keep arriving and everything asked for was granted.
        for (;;) {
          const wanted = this.inUse + this.waiters.length;
          this.held = await this.hold(wanted);
          this.wake();
          if (this.waiters.length === 0 || this.closed) break;
          if (this.held < wanted) {
            refused = true;
            break;
          }
        }
      } catch (error) {
        refused = this.waiters.length > 0;
        this.onError(error);
      } finally {
        this.syncing = undefined;
      }
      // Other processes hold the rest: ask again shortly, they may have released some.
      if (refused && !this.retry && !this.closed) {
        this.retry = setTimeout(() => {
          this.retry = undefined;
          void this.sync();
        }, this.options.pollMs);
        this.retry.unref();
      }
    })();
    return this.syncing;
  }
}
