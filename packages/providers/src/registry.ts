import type { AnyProvider } from '@glaze/core';
import { emailProvider } from './email';
import { extractProvider } from './extract';
import { formulaProvider } from './formula';
import { createHttpProvider } from './http';
import { createLlmProvider } from './llm';
import { mockProvider } from './mock';
import { nameProvider } from './name';
import { parseAllowList } from './net/allow-list';
import type { LookupAll } from './net/guard';
import { phoneProvider } from './phone';
import { urlProvider } from './url';
import { createWaterfallProvider } from './waterfall';

export interface ProviderRegistryOptions {
  /**
   * Private hosts, IPs and CIDRs that `http` and `llm` may reach (the app passes
   * GLAZE_HTTP_ALLOW split on commas). Empty: public addresses only.
   */
  httpAllow?: readonly string[];
  /** DNS resolver for the SSRF guard; tests pass a fake one. */
  lookup?: LookupAll;
  /** More providers (plugins); `waterfall` can use them too. Same id as a built-in replaces it. */
  extra?: readonly AnyProvider[];
}

/**
 * Every built-in provider, by id, bound to the app's network policy. Adding a provider: one
 * file, one line here, one test. Throws naming the entry (`allow[2]: …`) for a bad allow list.
 * @example const providers = createProviderRegistry({ httpAllow: env.GLAZE_HTTP_ALLOW });
 */
export function createProviderRegistry(
  options: ProviderRegistryOptions = {},
): ReadonlyMap<string, AnyProvider> {
  const net = { allow: parseAllowList(options.httpAllow ?? []), lookup: options.lookup };
  const registry = new Map<string, AnyProvider>();
  const providers: AnyProvider[] = [
    mockProvider,
    emailProvider,
    urlProvider,
    nameProvider,
    phoneProvider,
    createHttpProvider(net),
    createLlmProvider(net),
    formulaProvider,
    extractProvider,
    // Looks steps up in this same map at call time, so it sees every provider, extras included.
    createWaterfallProvider((id) => registry.get(id)),
    ...(options.extra ?? []),
  ];
  for (const provider of providers) registry.set(provider.id, provider);
  return registry;
}

/** The built-ins with the default policy: `http` and `llm` reach public addresses only. */
export const builtinProviders: ReadonlyMap<string, AnyProvider> = createProviderRegistry();
