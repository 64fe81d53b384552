import type { Pool } from '@glaze/db';
import { findSession, findToken, hashToken, readAuthEpoch, type TokenOwner } from '@glaze/engine';

/** What a request authenticated with: an API token (Bearer header) or a browser session id (cookie). */
export interface Credential {
  kind: 'token' | 'session';
  value: string;
}

interface Entry {
  owner: TokenOwner;
  /** Date.now() after which the entry is looked up again: the TTL, or the credential's expiry if sooner. */
  until: number;
  /** The auth epoch when the look-up began; an entry from before the latest revocation is not trusted. */
  epoch: string | undefined;
}

export interface AuthCacheOptions {
  /** How long a credential's workspace is remembered. Default 30 s. */
  ttlMs?: number;
  /** The oldest revocation epoch a cache hit may rest on (re-read ahead past its half). Default 500 ms. */
  epochCheckMs?: number;
  maxEntries?: number;
}

/**
 * Credential → workspace, remembered for `ttlMs` so a busy client costs one look-up per half-minute,
 * not one per request. Revocation still takes effect within a second on every process: a hit rests on
 * the one-row `auth_epoch` (bumped by every revocation) as read at most `epochCheckMs` ago — one read
 * shared by every request, taken ahead while requests keep coming — and an entry cached before the
 * epoch moved is looked up again. Keyed by
 * the sha256 of the credential: the cache never holds a usable token or session id.
 */
export class AuthCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Look-ups under way, by key: requests that miss together share one. A token's look-up updates its
   * row (`last_used_at`), so 1,000 event streams opened at once with a cold cache (every tab after a
   * restart) queued 1,000 updates of one row, a synchronous commit each: every stream waited 6 s.
   */
  private readonly lookups = new Map<string, Promise<TokenOwner | undefined>>();
  private readonly ttlMs: number;
  private readonly epochCheckMs: number;
  private readonly maxEntries: number;
  private epoch: string | undefined;
  private epochReadAt = 0;
  private epochRead: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    options: AuthCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.epochCheckMs = options.epochCheckMs ?? 500;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * The live owner of a credential, or undefined (unknown, revoked or expired). `cachedOnly`: answer
   * from the cache alone, never the database (for an address the failed-auth limit has blocked).
   */
  async ownerOf(
    credential: Credential,
    options: { cachedOnly?: boolean } = {},
  ): Promise<TokenOwner | undefined> {
    const key = `${credential.kind}:${hashToken(credential.value)}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) {
      await this.refreshEpoch();
      if (hit.epoch !== undefined && hit.epoch === this.epoch && hit.until > Date.now()) return hit.owner;
    }
    if (options.cachedOnly) return undefined;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.lookUp(key, credential).finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  private async lookUp(key: string, credential: Credential): Promise<TokenOwner | undefined> {
    const epoch = this.epoch;
    const owner =
      credential.kind === 'token'
        ? await findToken(this.pool, credential.value)
        : await findSession(this.pool, credential.value);
    if (!owner) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const expires = owner.expiresAt ? new Date(owner.expiresAt).getTime() : Number.POSITIVE_INFINITY;
    this.entries.set(key, { owner, until: Math.min(Date.now() + this.ttlMs, expires), epoch });
    return owner;
  }

  /** Forgets a credential at once in this process (sign-out); other processes follow the epoch. */
  forget(credential: Credential): void {
    this.entries.delete(`${credential.kind}:${hashToken(credential.value)}`);
  }

  /**
   * Resolves once the epoch in hand is younger than `epochCheckMs`. A hit in the window's second
   * half reads the next one ahead, without waiting for it: a steady client never waits for the
   * epoch (a busy one waited a round trip every 500 ms: 7–8 of 30 end-to-end bench runs), and no
   * answer ever rests on an epoch older than the window. The epoch's age counts from when its read
   * began.
   */
  private refreshEpoch(): Promise<void> {
    const age = Date.now() - this.epochReadAt;
    if (age < this.epochCheckMs / 2) return Promise.resolve();
    this.epochRead ??= this.readEpoch();
    if (age >= this.epochCheckMs) return this.epochRead;
    // ahead of time: a failure here is met again, awaited, by the first request past the window
    this.epochRead.catch(() => {});
    return Promise.resolve();
  }

  private readEpoch(): Promise<void> {
    const began = Date.now();
    return readAuthEpoch(this.pool)
      .then((epoch) => {
        if (epoch !== this.epoch) this.entries.clear();
        this.epoch = epoch;
        this.epochReadAt = began;
      })
      .finally(() => {
        this.epochRead = undefined;
      });
  }
}
