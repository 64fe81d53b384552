import { readFileSync } from 'node:fs';

/**
 * Reads a published corpus from test/corpus/ (origin and licence in test/corpus/README.md). Read
 * with JSON.parse rather than imported: some cases hold lone surrogates (`"\ud800"`), which
 * JSON allows and the bundler's JSON import refuses.
 */
export function readCorpus<T>(file: string): { source: string; cases: T[] } {
  return JSON.parse(readFileSync(new URL(`../corpus/${file}`, import.meta.url), 'utf8'));
}
