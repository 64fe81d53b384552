import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type PhoneNumbers = typeof import('libphonenumber-js/max');

let library: PhoneNumbers | undefined;

/**
 * libphonenumber-js with its `max` metadata, loaded on first use, not at import: the metadata of
 * every country's numbering plan takes ~5 MB of a process's RSS, which a CLI or worker that never
 * parses a phone number need not hold. The first call pays the load (~0.1 s on 2 busy cores).
 */
export function phoneNumbers(): PhoneNumbers {
  library ??= require('libphonenumber-js/max') as PhoneNumbers;
  return library;
}
