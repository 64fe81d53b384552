import type { Pool } from '@glaze/db';

export interface TokenInfo {
  id: number;
  workspaceId: number;
  workspaceName: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Every token (of one workspace when given), oldest first; never the token itself, which is not stored. */
export async function listTokens(pool: Pool, input: { workspaceId?: number } = {}): Promise<TokenInfo[]> {
  const { rows } = await pool.query(
    `select a.id, a.workspace_id as "workspaceId", w.name as "workspaceName", a.name,
       a.created_at as "createdAt", a.last_used_at as "lastUsedAt", a.expires_at as "expiresAt",
       a.revoked_at as "revokedAt"
     from api_tokens a join workspaces w on w.id = a.workspace_id
     where $1::bigint is null or a.workspace_id = $1::bigint
     order by a.id`,
    [input.workspaceId ?? null],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), workspaceId: Number(row.workspaceId) }));
}
