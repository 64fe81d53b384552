import type { Pool } from '@glaze/db';
import { hashToken } from './create-token';
import { type TokenOwner, toTokenOwner } from './find-token';

/**
 * The workspace of a live session: not revoked, not expired, and its token neither revoked nor
 * expired. `expiresAt` is whichever of the two ends first.
 */
export async function findSession(pool: Pool, sessionId: string): Promise<TokenOwner | undefined> {
  const { rows } = await pool.query(
    `select a.id as "tokenId", w.id as "workspaceId", w.name as "workspaceName",
       least(s.expires_at, a.expires_at) as "expiresAt"
     from sessions s
     join api_tokens a on a.id = s.token_id
     join workspaces w on w.id = a.workspace_id
     where s.session_hash = $1 and s.revoked_at is null and s.expires_at > now()
       and a.revoked_at is null and (a.expires_at is null or a.expires_at > now())`,
    [hashToken(sessionId)],
  );
  return toTokenOwner(rows[0]);
}
