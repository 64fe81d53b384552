import type { Pool } from '@glaze/db';
import { hashToken } from './create-token';
import type { WorkspaceInfo } from './create-workspace';

export interface TokenOwner {
  tokenId: number;
  workspace: WorkspaceInfo;
  /** When the token stops working; null when it never expires. */
  expiresAt: Date | null;
}

/**
 * The workspace of a live token (looked up by its hash; revoked and expired tokens are not found),
 * noting when it was last used.
 */
export async function findToken(pool: Pool, token: string): Promise<TokenOwner | undefined> {
  const { rows } = await pool.query(
    `update api_tokens a set last_used_at = now()
     from workspaces w
     where a.token_hash = $1 and w.id = a.workspace_id
       and a.revoked_at is null and (a.expires_at is null or a.expires_at > now())
     returning a.id as "tokenId", w.id as "workspaceId", w.name as "workspaceName",
       a.expires_at as "expiresAt"`,
    [hashToken(token)],
  );
  return toTokenOwner(rows[0]);
}

/** A `tokenId, workspaceId, workspaceName, expiresAt` row as its owner (findToken, findSession). */
export function toTokenOwner(row: Record<string, unknown> | undefined): TokenOwner | undefined {
  return row
    ? {
        tokenId: Number(row.tokenId),
        workspace: { id: row.workspaceId as number, name: row.workspaceName as string },
        expiresAt: row.expiresAt as Date | null,
      }
    : undefined;
}
