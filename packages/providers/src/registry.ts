import type { AnyProvider } from '@glaze/core';
import { mockProvider } from './mock';

/** Every built-in provider, by id. Adding a provider: one file, one line here, one test. */
export const builtinProviders: ReadonlyMap<string, AnyProvider> = new Map(
  [mockProvider as AnyProvider].map((provider) => [provider.id, provider]),
);
