/**
 * What a provider answered, made storable. Postgres refuses U+0000 in text and `\u0000` in jsonb
 * ("unsupported Unicode escape sequence"), and a lone UTF-16 surrogate is not text at all; an API
 * that returns either (scraped pages and PDFs carry NUL bytes) failed every flush holding the answer,
 * and with it the 500 other results of its chunk, three times over. Both become U+FFFD, the
 * replacement character, where the rest of the answer is kept. Client input with them is refused
 * instead (findUnsafeInput): there a person can fix it.
 */

/** `text` with U+0000 and lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
  // String#isWellFormed / toWellFormed are ES2024 (Node 20 has them; the project's lib is ES2023).
  const wellFormed = withoutNul as string & { isWellFormed(): boolean; toWellFormed(): string };
  return wellFormed.isWellFormed() ? withoutNul : wellFormed.toWellFormed();
}

/**
 * An escape in JSON.stringify's output: `\u0000`, a lone surrogate (it writes a pair as the
 * characters themselves, one alone as `\udXXX`), or any other escape, matched whole so that `\\u0000`
 * (a backslash, then the text u0000) is not taken for one.
 */
const escapes = /\\(?:u0000|ud[89a-f][0-9a-f]{2}|[^u])/g;

/**
 * `JSON.stringify(value)` as jsonb takes it: U+0000 and lone surrogates, in strings and in keys, as
 * U+FFFD. Undefined for what JSON.stringify gives undefined.
 * @example storableJson({ v: 'a\u0000b' }) // '{"v":"a\\ufffdb"}'
 */
export function storableJson(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  // one scan in the common case: both come out as a `\u` escape (a 3 MB page: one pass, not two)
  if (json === undefined || !json.includes('\\u')) return json;
  return json.replace(escapes, (found) => (found.length === 6 ? '\\ufffd' : found));
}
