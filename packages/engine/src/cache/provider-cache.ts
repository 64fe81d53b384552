import { type Json, storableJson } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { cacheStatements } from './statements';

export interface CachedAnswer {
  value: Json | null;
  empty: boolean;
}

/** Cached answers for many keys in one statement. */
export async function readCache(
  pool: Pool,
  provider: string,
  keys: readonly string[],
  ttlSeconds: number,
): Promise<Map<string, CachedAnswer>> {
  if (keys.length === 0) return new Map();
  const { rows } = await pool.query({
    ...cacheStatements.readCache,
    values: [provider, [...new Set(keys)], ttlSeconds],
  });
  return new Map(
    rows.map((r) => [r.key as string, { value: r.value as Json | null, empty: r.empty as boolean }]),
  );
}

/** Stores answers in one statement (the last answer for a key wins). */
export async function writeCache(
  pool: Pool,
  provider: string,
  entries: ReadonlyMap<string, CachedAnswer>,
  ttlSeconds: number,
): Promise<void> {
  if (entries.size === 0 || ttlSeconds <= 0) return;
  const keys = [...entries.keys()];
  const answers = [...entries.values()];
  await pool.query({
    ...cacheStatements.writeCache,
    values: [
      provider,
      keys,
      answers.map((a) => (a.value === null ? null : (storableJson(a.value) ?? null))),
      answers.map((a) => a.empty),
      ttlSeconds,
    ],
  });
}
