import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

// Compiled validators by schema text. A column's schema is the same for every cell, so it is
// compiled once per process (ajv compiles to code: ~1 ms per schema, microseconds per check).
const cache = new Map<string, ValidateFunction>();
const maxCached = 200;

/**
 * A validator for a JSON Schema (draft 2020-12; `definitions` and other draft-07 words are
 * tolerated because `strict` is off). Throws with ajv's explanation when the schema is invalid.
 */
export function compileJsonSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = cache.get(key);
  if (cached) return cached;
  // A fresh Ajv per schema: one instance refuses a second schema with the same $id.
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  if (cache.size >= maxCached) cache.clear();
  cache.set(key, validate);
  return validate;
}

/** Why a value failed, e.g. `/company/domain must be string; / must have required property 'name'`. */
export function describeSchemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 3)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}
