import type { AnyProvider } from '@glaze/core';
import { findSecretRefs, misplacedSecretMessage, type SecretRef } from '@glaze/providers';

const known = new WeakMap<object, SecretRef[]>();

/**
 * The cell error for a column that cannot run as saved, or undefined when it can:
 * - it holds `{{secret.NAME}}` outside its provider's secret-bearing fields (saved before that was
 *   refused): a secret rendered into an input, URL or prompt comes back in results;
 * - it names a secret the workspace does not have (deleted since the column was saved):
 *   `secret NAME is not set`, rather than rendering a blank credential and sending it.
 * The config's secret references are found once per config object, so a run's chunks walk it once.
 * @example secretRefusal(httpProvider, { headers: { Authorization: 'Bearer {{secret.KEY}}' } }, {})
 * // 'secret KEY is not set (config.headers.Authorization); add it with PUT /api/v1/secrets/KEY'
 */
export function secretRefusal(
  provider: AnyProvider,
  config: unknown,
  secrets: Readonly<Record<string, string>>,
): string | undefined {
  const cacheable = typeof config === 'object' && config !== null;
  let refs = cacheable ? known.get(config) : undefined;
  if (!refs) {
    refs = findSecretRefs(provider, config);
    if (cacheable) known.set(config, refs);
  }
  const misplaced = refs.find((ref) => !ref.placed);
  if (misplaced) return `${misplaced.path}: ${misplacedSecretMessage(misplaced)}`;
  const missing = refs.find((ref) => !Object.hasOwn(secrets, ref.name));
  if (missing)
    return `secret ${missing.name} is not set (${missing.path}); add it with PUT /api/v1/secrets/${missing.name}`;
  return undefined;
}
