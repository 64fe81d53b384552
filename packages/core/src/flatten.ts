import { valueToText } from './template';

/**
 * Flattens an enrichment value for CSV: objects become `NAME.field` columns (nested: `NAME.a.b`),
 * scalars stay under `NAME`. Arrays are kept whole as JSON text.
 */
export function flattenValue(
  name: string,
  value: unknown,
  out: Record<string, string> = {},
): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out[name] = '';
    for (const [key, inner] of entries) flattenValue(`${name}.${key}`, inner, out);
  } else {
    out[name] = valueToText(value);
  }
  return out;
}
