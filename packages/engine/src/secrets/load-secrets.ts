import type { Logger, Pool } from '@glaze/db';
import { decryptSecret } from '@glaze/providers';
import { secretContext } from './secret-name';

export interface SecretsLoaderOptions {
  /** How long decrypted secrets are reused before they are read again (a changed value takes this long). */
  ttlMs?: number;
  logger?: Logger;
}

/**
 * The worker's `secretsFor(tableId)`: the decrypted secrets of the table's workspace, read in one
 * statement and kept `ttlMs` (5 s by default), so a chunk never costs a read of its own. A secret
 * that does not decrypt (another key) is left out and logged by name, never by value.
 * @example createWorker({ …, secretsFor: createSecretsLoader(pool, key) })
 */
export function createSecretsLoader(
  pool: Pool,
  key: Buffer,
  options: SecretsLoaderOptions = {},
): (tableId: number) => Promise<Readonly<Record<string, string>>> {
  const ttlMs = options.ttlMs ?? 5000;
  const cache = new Map<number, { at: number; secrets: Promise<Readonly<Record<string, string>>> }>();
  const load = async (tableId: number) => {
    const { rows } = await pool.query(
      `select s.workspace_id as "workspaceId", s.name, s.ciphertext
       from tables t join secrets s on s.workspace_id = t.workspace_id
       where t.id = $1`,
      [tableId],
    );
    const secrets: Record<string, string> = {};
    for (const row of rows) {
      try {
        secrets[row.name] = decryptSecret(row.ciphertext, key, secretContext(row.workspaceId, row.name));
      } catch (error) {
        options.logger?.warn({ secret: row.name, err: error }, 'a secret does not decrypt with this key');
      }
    }
    return Object.freeze(secrets);
  };
  return (tableId) => {
    const hit = cache.get(tableId);
    if (hit && performance.now() - hit.at < ttlMs) return hit.secrets;
    const secrets = load(tableId);
    secrets.catch(() => cache.delete(tableId));
    cache.set(tableId, { at: performance.now(), secrets });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value as number);
    return secrets;
  };
}
