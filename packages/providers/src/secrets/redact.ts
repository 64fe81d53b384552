/**
 * Replaces every secret value in a text with `[secret]`, including its URL-encoded and
 * JSON-escaped forms (a key sent in a query string comes back encoded in error messages).
 * Longer values first, so a secret that contains another is replaced whole.
 * @example redact('401: bad key sk-123', ['sk-123']) // '401: bad key [secret]'
 */
export function redact(text: string, secretValues: Iterable<string>): string {
  const forms = new Set<string>();
  for (const value of secretValues) {
    if (value === '') continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('[secret]');
  return out;
}

/** `redact` applied to every string (keys too) inside a JSON value, e.g. an API's echo of the request. */
export function redactJson<T>(value: T, secretValues: readonly string[]): T {
  if (secretValues.every((s) => s === '')) return value;
  if (typeof value === 'string') return redact(value, secretValues) as T;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secretValues)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        redact(key, secretValues),
        redactJson(inner, secretValues),
      ]),
    ) as T;
  }
  return value;
}
