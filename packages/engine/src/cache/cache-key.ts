import { createHash } from 'node:crypto';
import { type AnyProvider, type RowValues, renderTemplate } from '@glaze/core';
import { withoutRunOptions } from '../deps/run-options';

/** JSON with object keys sorted at every level: equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The cache key of one call: sha256 over the workspace, the provider id, the canonical config
 * (without runIf/autoRun/cache fields) and the rendered templates, trimmed. Rendered templates
 * include secret values (`Bearer {{secret.KEY}}`), so a changed API key misses the cache; they only
 * ever enter the hash, never the stored key in clear. The workspace keeps one workspace's answers
 * (which may depend on its account) from serving another.
 */
export function cacheKey(
  workspaceId: number,
  provider: AnyProvider,
  config: unknown,
  row: RowValues,
  secrets: Readonly<Record<string, string>>,
): string {
  const plain =
    config !== null && typeof config === 'object'
      ? withoutRunOptions(config as Record<string, unknown>)
      : config;
  const rendered = provider.templates(config).map((t) => renderTemplate(t, row, secrets).trim());
  return createHash('sha256')
    .update(canonicalJson([workspaceId, provider.id, plain, rendered]))
    .digest('hex');
}
