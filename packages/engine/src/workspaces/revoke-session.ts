import type { Pool } from '@glaze/db';
import { hashToken } from './create-token';

/** Signs a session out on the server (and bumps the auth epoch so every process forgets it within a second). */
export async function revokeSession(pool: Pool, sessionId: string): Promise<boolean> {
  const { rows } = await pool.query(
    `with revoked as (
       update sessions set revoked_at = now()
       where session_hash = $1 and revoked_at is null returning id
     ), bumped as (
       update auth_epoch set version = version + 1 where exists (select 1 from revoked)
     )
     select count(*)::int as n from revoked`,
    [hashToken(sessionId)],
  );
  return rows[0]?.n === 1;
}
