import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';

export interface CreatedToken {
  id: number;
  workspaceId: number;
  /** The token itself: shown once, stored only as its sha256. */
  token: string;
}

/** sha256 of a token, hex: what api_tokens stores and looks up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token: `glz_` and 32 random bytes, base64url. */
export function generateToken(): string {
  return `glz_${randomBytes(32).toString('base64url')}`;
}

/**
 * Adds an API token to a workspace. `token` lets an operator choose it (GLAZE_ADMIN_TOKEN);
 * otherwise one is generated. Without `expiresAt` it never expires (it can still be revoked).
 */
export async function createToken(
  db: Pool | PoolClient,
  input: { workspaceId: number; name: string; token?: string; expiresAt?: Date | null },
): Promise<CreatedToken> {
  const token = input.token ?? generateToken();
  if (token.length < 16) throw new AppError('validation_failed', 'must be at least 16 characters', 'token');
  try {
    const { rows } = await db.query(
      `insert into api_tokens (workspace_id, name, token_hash, expires_at) values ($1, $2, $3, $4)
       returning id, workspace_id as "workspaceId"`,
      [input.workspaceId, input.name, hashToken(token), input.expiresAt ?? null],
    );
    return { ...(rows[0] as { id: number; workspaceId: number }), token };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '23505') throw new AppError('conflict', 'this token is already in use', 'token');
    if (code === '23503')
      throw new AppError('not_found', `workspace ${input.workspaceId} does not exist`, 'workspace');
    throw error;
  }
}
