import type { Pool } from '@glaze/db';

/**
 * Revokes a token and, with it, every browser session signed in with it (sessions are only valid
 * while their token is). Bumps the auth epoch in the same statement, so every server drops its
 * auth cache within a second. False when no such token exists; revoking twice is a no-op.
 */
export async function revokeToken(pool: Pool, tokenId: number): Promise<boolean> {
  const { rows } = await pool.query(
    `with revoked as (
       update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1::bigint returning id
     ), bumped as (
       update auth_epoch set version = version + 1 where exists (select 1 from revoked)
     )
     select count(*)::int as n from revoked`,
    [tokenId],
  );
  return rows[0]?.n === 1;
}
