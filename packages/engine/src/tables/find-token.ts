import type { Pool } from '@glaze/db';
import { hashToken } from './create-token';
import type { WorkspaceInfo } from './create-workspace';

export interface TokenOwner {
  tokenId: number;
  workspace: WorkspaceInfo;
}

/** The workspace a token belongs to (looked up by its hash), noting when it was last used. */
export async function findToken(pool: Pool, token: string): Promise<TokenOwner | undefined> {
  const { rows } = await pool.query(
    `update api_tokens a set last_used_at = now()
     from workspaces w
     where a.token_hash = $1 and w.id = a.workspace_id
     returning a.id as "tokenId", w.id as "workspaceId", w.name as "workspaceName"`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row
    ? { tokenId: row.tokenId, workspace: { id: row.workspaceId, name: row.workspaceName } }
    : undefined;
}
