/**
 * One line for a grid cell. Objects are summarised as `key: value · key: value` (first three
 * keys), arrays as `[n] first, second`; the detail panel shows the full JSON.
 * @example summariseValue({ input: 'a', hash: 'f00', length: 1 }) // 'input: a · hash: f00 · length: 1'
 */
export function summariseValue(value: unknown, maxKeys = 3): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, maxKeys).map((item) => scalar(item));
    return `[${value.length}] ${items.join(', ')}${value.length > maxKeys ? ', …' : ''}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const shown = entries.slice(0, maxKeys).map(([key, inner]) => `${key}: ${scalar(inner)}`);
    const more = entries.length > maxKeys ? ` · +${entries.length - maxKeys}` : '';
    return shown.join(' · ') + more;
  }
  return String(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') return '{…}';
  const text = String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
