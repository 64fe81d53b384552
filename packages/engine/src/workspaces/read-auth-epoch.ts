import type { Pool } from '@glaze/db';

/** The revocation counter every token or session revocation bumps; auth caches compare it. */
export async function readAuthEpoch(pool: Pool): Promise<string> {
  const { rows } = await pool.query('select version::text as version from auth_epoch');
  return rows[0]?.version ?? '0';
}
