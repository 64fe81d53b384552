import type { AnyProvider } from '@glaze/core';
import { findMisplacedSecrets, misplacedSecretMessage } from '@glaze/providers';

const known = new WeakMap<object, string | undefined>();

/**
 * The cell error for a column saved, before the rule existed, with `{{secret.NAME}}` outside its
 * provider's secret-bearing fields; undefined when the config is fine. Such a column is refused
 * at run rather than rendered without its secret: a silent blank would send a request the user
 * did not write. Memoised per config object, so a run's chunks check it once.
 * @example secretRefusal(mockProvider, { input: '{{secret.KEY}}' })
 * // 'config.input: {{secret.KEY}} may only be used in secret-bearing fields; mock has none …'
 */
export function secretRefusal(provider: AnyProvider, config: unknown): string | undefined {
  const cacheable = typeof config === 'object' && config !== null;
  if (cacheable && known.has(config)) return known.get(config);
  const [misplaced] = findMisplacedSecrets(provider, config);
  const refusal = misplaced && `${misplaced.path}: ${misplacedSecretMessage(misplaced)}`;
  if (cacheable) known.set(config, refusal);
  return refusal;
}
