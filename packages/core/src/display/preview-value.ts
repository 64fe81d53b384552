/** The longest line a cell display gives: about what a wide grid column shows. */
export const displayMaxLength = 80;

/**
 * One line of at most `max` characters: runs of white space (line breaks included) become one
 * space, and a longer text ends in `…`.
 * @example oneLine('a\n  b') // 'a b'
 */
export function oneLine(text: string, max = displayMaxLength): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A short preview of any JSON value, for providers with no display of their own: text as it is,
 * objects as `key: value · key: value` (first three keys), arrays as `[n] first, second`.
 * @example previewValue({ input: 'a', hash: 'f00', length: 1 }) // 'input: a · hash: f00 · length: 1'
 */
export function previewValue(value: unknown, maxKeys = 3): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return oneLine(String(value));
  if (Array.isArray(value)) {
    const items = value.slice(0, maxKeys).map((item) => scalar(item));
    return oneLine(`[${value.length}] ${items.join(', ')}${value.length > maxKeys ? ', …' : ''}`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const shown = entries.slice(0, maxKeys).map(([key, inner]) => `${key}: ${scalar(inner)}`);
  const more = entries.length > maxKeys ? ` · +${entries.length - maxKeys}` : '';
  return oneLine(shown.join(' · ') + more);
}

/**
 * The one thing worth showing of an answer: an object with a single field shows that field
 * (`{ domain: 'acme.io' }` → `acme.io`), anything else its preview.
 */
export function previewAnswer(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) return previewValue(entries[0]?.[1]);
  }
  return previewValue(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') return '{…}';
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
