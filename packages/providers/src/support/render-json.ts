import { type Json, lookup, type RowValues } from '@glaze/core';

const whole = /^\{\{\s*([^{}]+?)\s*\}\}$/;

/**
 * Renders every string inside a JSON template. A string that is one column placeholder keeps the
 * column's type (`"{{Employees}}"` → 120, an object stays an object), so bodies stay valid JSON
 * whatever the values contain; anything else renders as text.
 * @example renderJson({ q: '{{Company}}', n: '{{Count}}' }, row, render) // { q: 'Acme', n: 3 }
 */
export function renderJson(template: Json, row: RowValues, render: (template: string) => string): Json {
  if (typeof template === 'string') {
    const name = whole.exec(template)?.[1];
    if (name !== undefined && !name.startsWith('secret.')) return toJson(lookup(row, name));
    return render(template);
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(item, row, render));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, renderJson(value, row, render)]),
    );
  }
  return template;
}

/** Every template string inside a JSON template. */
export function jsonStrings(template: Json): string[] {
  if (typeof template === 'string') return [template];
  if (Array.isArray(template)) return template.flatMap(jsonStrings);
  if (template !== null && typeof template === 'object') return Object.values(template).flatMap(jsonStrings);
  return [];
}

function toJson(value: unknown): Json {
  return value === undefined ? null : (value as Json);
}
