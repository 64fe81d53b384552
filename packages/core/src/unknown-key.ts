import { z } from 'zod';

/**
 * The first key of `data` that a plain zod object schema does not take (nor `alsoKnown`), with the
 * keys it does take; undefined when all are known, or when the schema is not a plain object (a
 * `looseObject` takes anything more on purpose) or `data` is not an object. zod drops such keys
 * silently, so a misspelt option would leave a request running on its defaults without a word:
 * callers refuse it instead, naming it.
 * @example unknownKey(z.object({ scope: z.string() }), { scope: 'all', maxAttemps: 5 }) // { key: 'maxAttemps', known: ['scope'] }
 */
export function unknownKey(
  schema: z.ZodType,
  data: unknown,
  alsoKnown: readonly string[] = [],
): { key: string; known: string[] } | undefined {
  if (!(schema instanceof z.ZodObject) || schema._zod.def.catchall !== undefined) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const known = [...Object.keys(schema.shape), ...alsoKnown];
  const key = Object.keys(data).find((k) => !known.includes(k));
  return key === undefined ? undefined : { key, known };
}
