import { type AnyProvider, AppError } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';
import { findSecretRefs } from '@glaze/providers';

/**
 * Refuses a column config that names a secret the table's workspace does not have
 * (`{{secret.NOPE}}`): a typo would otherwise send a blank credential and show up only as 401s.
 * The error names the field and lists the secrets there are. Reads nothing when the config names
 * no secret.
 * @example await assertSecretsExist(pool, tableId, httpProvider, config)
 * // AppError 400 config.headers.Authorization: {{secret.NOPE}} is not a secret of this workspace; its secrets: API_KEY
 */
export async function assertSecretsExist(
  db: Pool | PoolClient,
  tableId: number,
  provider: AnyProvider,
  config: unknown,
): Promise<void> {
  const refs = findSecretRefs(provider, config);
  if (refs.length === 0) return;
  const { rows } = await db.query<{ name: string }>(
    `select s.name from tables t join secrets s on s.workspace_id = t.workspace_id
     where t.id = $1 order by s.name`,
    [tableId],
  );
  const names = rows.map((row) => row.name);
  const missing = refs.find((ref) => !names.includes(ref.name));
  if (!missing) return;
  const known = names.length > 0 ? `its secrets: ${names.join(', ')}` : 'it has none';
  throw new AppError(
    'validation_failed',
    `{{secret.${missing.name}}} is not a secret of this workspace; ${known} (add one with PUT /api/v1/secrets/${missing.name})`,
    missing.path,
  );
}
