import { randomBytes } from 'node:crypto';
import type { Pool } from '@glaze/db';
import { hashToken } from './create-token';

/**
 * A browser session for a live token: a random id (the cookie's value; only its sha256 is stored)
 * valid until `expiresAt`, while its token is neither revoked nor expired.
 */
export async function createSession(
  pool: Pool,
  input: { tokenId: number; ttlMs: number },
): Promise<{ sessionId: string; expiresAt: Date }> {
  const sessionId = `gls_${randomBytes(32).toString('base64url')}`;
  const { rows } = await pool.query(
    `insert into sessions (token_id, session_hash, expires_at)
     values ($1, $2, now() + $3::bigint * interval '1 millisecond')
     returning expires_at as "expiresAt"`,
    [input.tokenId, hashToken(sessionId), input.ttlMs],
  );
  return { sessionId, expiresAt: rows[0].expiresAt };
}
