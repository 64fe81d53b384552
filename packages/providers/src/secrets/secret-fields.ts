import { type AnyProvider, formatPath, templateRefs } from '@glaze/core';

/** A `{{secret.NAME}}` found outside its provider's secret-bearing fields. */
export interface MisplacedSecret {
  /** Where, as people write it: `config.steps[1].config.url`. */
  path: string;
  /** The secret's name. */
  name: string;
  /** The provider whose config holds it. */
  provider: string;
  /** The fields that may hold it there, e.g. `headers`; empty when none may. */
  allowed: readonly string[];
}

/**
 * Every `{{secret.NAME}}` in a config that sits outside the fields its provider marks as
 * secret-bearing (`secretFields`), nested provider configs (waterfall steps) checked by their own
 * provider's rules. The one place the rule is checked: at column save and when a chunk runs.
 * @example findMisplacedSecrets(mockProvider, { input: '{{secret.KEY}}' })
 * // [{ path: 'config.input', name: 'KEY', provider: 'mock', allowed: [] }]
 */
export function findMisplacedSecrets(
  provider: AnyProvider,
  config: unknown,
  prefix: Array<string | number> = ['config'],
): MisplacedSecret[] {
  return findSecretRefs(provider, config, prefix).filter((ref) => !ref.placed);
}

/** A `{{secret.NAME}}` in a config; `placed` when it sits in a secret-bearing field. */
export interface SecretRef extends MisplacedSecret {
  placed: boolean;
}

/**
 * Every `{{secret.NAME}}` in a config, nested provider configs included, each marked whether its
 * field may hold a secret: at save the names are checked against the workspace's secrets.
 * @example findSecretRefs(httpProvider, { headers: { Authorization: 'Bearer {{secret.KEY}}' } })
 * // [{ path: 'config.headers.Authorization', name: 'KEY', provider: 'http', allowed: ['headers'], placed: true }]
 */
export function findSecretRefs(
  provider: AnyProvider,
  config: unknown,
  prefix: Array<string | number> = ['config'],
): SecretRef[] {
  const found: SecretRef[] = [];
  const allowed = provider.secretFields ?? [];
  const nested = safeNested(provider, config);
  const nestedAt = new Set(nested.map((n) => formatPath([...prefix, ...n.path])));
  const walk = (value: unknown, path: Array<string | number>) => {
    if (path.length > prefix.length && nestedAt.has(formatPath(path))) return;
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      const field = path[prefix.length];
      const placed = typeof field === 'string' && allowed.includes(field);
      for (const ref of templateRefs(value))
        if (ref.kind === 'secret')
          found.push({ path: formatPath(path), name: ref.name, provider: provider.id, allowed, placed });
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, [...path, index]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key]);
    }
  };
  walk(config, prefix);
  for (const inner of nested)
    found.push(...findSecretRefs(inner.provider, inner.config, [...prefix, ...inner.path]));
  return found;
}

/** What a person sees after the path: `{{secret.KEY}} may only be used in secret-bearing fields (headers)`. */
export function misplacedSecretMessage(misplaced: MisplacedSecret): string {
  const where =
    misplaced.allowed.length > 0
      ? ` (${misplaced.allowed.join(', ')})`
      : `; ${misplaced.provider} has none (http: headers; llm: apiKey)`;
  return `{{secret.${misplaced.name}}} may only be used in secret-bearing fields${where}`;
}

function safeNested(provider: AnyProvider, config: unknown) {
  try {
    return provider.nestedConfigs?.(config) ?? [];
  } catch {
    // An unknown step provider: the schema reports it; its config is then walked as plain strings.
    return [];
  }
}
