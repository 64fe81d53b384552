import type { Pool } from '@glaze/db';
import { findToken, hashToken, type WorkspaceInfo } from '@glaze/engine';

interface Entry {
  workspace: WorkspaceInfo;
  expires: number;
}

/**
 * Token → workspace, remembered for `ttlMs` so a busy client costs one look-up per half-minute,
 * not one per request. Keyed by the token's hash: the cache never holds a usable token.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly pool: Pool,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async workspaceOf(token: string): Promise<WorkspaceInfo | undefined> {
    const key = hashToken(token);
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.workspace;
    const owner = await findToken(this.pool, token);
    if (!owner) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { workspace: owner.workspace, expires: Date.now() + this.ttlMs });
    return owner.workspace;
  }
}
