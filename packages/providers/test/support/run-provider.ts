import type { Provider, ProviderResult } from '@glaze/core';
import { renderTemplate } from '@glaze/core';

export interface RunOptions {
  secrets?: Record<string, string>;
  attempt?: number;
  signal?: AbortSignal;
}

/** Calls a provider the way the engine does: config parsed by its schema, templates rendered against the row. */
export async function runProvider<C>(
  provider: Provider<C>,
  rawConfig: unknown,
  row: Record<string, unknown>,
  options: RunOptions = {},
): Promise<ProviderResult> {
  const config = provider.configSchema.parse(rawConfig);
  const secrets = options.secrets ?? {};
  return provider.enrich(
    { config, row, render: (template) => renderTemplate(template, row, secrets) },
    { signal: options.signal ?? new AbortController().signal, attempt: options.attempt ?? 1, secrets },
  );
}

/** The value of an `ok` result; fails the test with the result otherwise. */
export function okValue(result: ProviderResult): unknown {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
}
