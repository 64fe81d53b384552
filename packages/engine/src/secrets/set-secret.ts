import { AppError, type SecretName } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { encryptSecret } from '@glaze/providers';
import { checkSecretName, secretContext } from './secret-name';

/**
 * Stores (or replaces) a workspace secret, encrypted with `key` (AES-256-GCM); the value is never
 * stored or returned in clear.
 * @example await setSecret(pool, key, { workspaceId, name: 'OPENAI_API_KEY', value: 'sk-…' });
 */
export async function setSecret(
  pool: Pool,
  key: Buffer,
  secret: { workspaceId: number; name: string; value: string },
): Promise<void> {
  const name = checkSecretName(secret.name);
  if (typeof secret.value !== 'string' || secret.value === '')
    throw new AppError('validation_failed', 'must be a non-empty string', 'value');
  if (secret.value.length > 65_536)
    throw new AppError('validation_failed', 'must be at most 65536 characters', 'value');
  const ciphertext = encryptSecret(secret.value, key, secretContext(secret.workspaceId, name));
  await pool.query(
    `insert into secrets (workspace_id, name, ciphertext) values ($1, $2, $3)
     on conflict (workspace_id, name) do update set ciphertext = excluded.ciphertext, updated_at = now()`,
    [secret.workspaceId, name, ciphertext],
  );
}

/** Deletes a secret; false when there was none by that name. */
export async function deleteSecret(pool: Pool, workspaceId: number, name: string): Promise<boolean> {
  const { rowCount } = await pool.query('delete from secrets where workspace_id = $1 and name = $2', [
    workspaceId,
    name,
  ]);
  return (rowCount ?? 0) > 0;
}

/** A secret's name and last change: the API's `SecretName`. */
export type { SecretName };

/** The names of a workspace's secrets, never their values. */
export async function listSecretNames(pool: Pool, workspaceId: number): Promise<SecretName[]> {
  const { rows } = await pool.query(
    `select name, to_char(updated_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"
     from secrets where workspace_id = $1 order by name`,
    [workspaceId],
  );
  return rows as SecretName[];
}
