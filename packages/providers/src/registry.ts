import type { AnyProvider } from '@glaze/core';
import { emailProvider } from './email';
import { mockProvider } from './mock';
import { nameProvider } from './name';
import { phoneProvider } from './phone';
import { urlProvider } from './url';

/** Every built-in provider, by id. Adding a provider: one file, one line here, one test. */
export const builtinProviders: ReadonlyMap<string, AnyProvider> = new Map(
  [mockProvider, emailProvider, urlProvider, nameProvider, phoneProvider].map((provider: AnyProvider) => [
    provider.id,
    provider,
  ]),
);
