import { AppError } from '@glaze/core';

/** A 429 that says when to come back (sent as `Retry-After`). */
export class TooManyFailures extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'rate_limited',
      `too many failed sign-in attempts from this address; retry in ${retryAfterSeconds} s`,
    );
  }
}

export interface FailedAuthLimits {
  /** Failed attempts one address may make per window. Default 20. */
  maxFailures?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** Addresses remembered at once; the oldest windows are dropped beyond it. Default 100,000. */
  maxAddresses?: number;
}

/**
 * Counts failed authentications per client address in fixed windows and refuses an address that
 * used up its window before its credential is even looked up: 20 guesses a minute instead of ~566
 * a second, and a blocked guess costs no database query. Successful requests are never counted, so
 * a signed-in client is unaffected however busy it is. In-process: each server counts on its own.
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(limits: FailedAuthLimits = {}) {
    this.maxFailures = limits.maxFailures ?? 20;
    this.windowMs = limits.windowMs ?? 60_000;
    this.maxAddresses = limits.maxAddresses ?? 100_000;
  }

  /** Throws TooManyFailures when `address` has no attempts left in its window. */
  check(address: string): void {
    const window = this.windows.get(address);
    if (!window) return;
    const now = Date.now();
    if (window.resetAt <= now) {
      this.windows.delete(address);
      return;
    }
    if (window.failures >= this.maxFailures)
      throw new TooManyFailures(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
  }

  /** Records one failed attempt from `address`. */
  fail(address: string): void {
    const now = Date.now();
    const window = this.windows.get(address);
    if (window && window.resetAt > now) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.prune(now);
    this.windows.set(address, { failures: 1, resetAt: now + this.windowMs });
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) if (window.resetAt <= now) this.windows.delete(address);
    // Still full (a flood from many addresses): drop the oldest half; Map keeps insertion order.
    let excess = this.windows.size - this.maxAddresses / 2;
    for (const address of this.windows.keys()) {
      if (excess-- <= 0) break;
      this.windows.delete(address);
    }
  }
}
