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
  // Sweeps this token's ended sessions on the way (sign-ins are rare, the index makes it cheap),
  // so the table holds live sessions rather than every sign-in ever made.
  const { rows } = await pool.query(
    `with swept as (
       delete from sessions where token_id = $1 and (expires_at <= now() or revoked_at is not null)
     )
     insert into sessions (token_id, session_hash, expires_at)
     values ($1, $2, now() + $3::bigint * interval '1 millisecond')
     returning expires_at as "expiresAt"`,
    [input.tokenId, hashToken(sessionId), input.ttlMs],
  );
  return { sessionId, expiresAt: rows[0].expiresAt };
}
