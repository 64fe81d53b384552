/** Replaces every form of a workspace's secrets in a text or a JSON value with `[secret]`. */
export interface Redactor {
  text(text: string): string;
  /** Every string inside a JSON value, keys too; returns the value itself when nothing matched. */
  json<T>(value: T): T;
}

/** Variants other than the value itself are only built for secrets this long: a 3-letter secret
 * upper-cased or base64-encoded would blank out ordinary words. */
const minVariantLength = 6;

/**
 * Builds a redactor for a set of secret values, once (the worker builds one per chunk): the
 * value as written, JSON-escaped and URL-encoded (`encodeURIComponent`), in any letter case, and
 * its base64 and base64url encodings at each of the three byte alignments (so `Basic
 * base64(user:key)` is caught too). Two regular expressions in all — one case-insensitive for the
 * textual forms, one case-sensitive for base64 — so a cell costs one scan per string, however many
 * secrets the workspace has. Returns undefined when there is nothing to redact: the caller skips
 * all work.
 * @example createRedactor(['sk-live-123456'])?.text('key SK-LIVE-123456') // 'key [secret]'
 */
export function createRedactor(secretValues: Iterable<string>): Redactor | undefined {
  const textual = new Set<string>();
  const encoded = new Set<string>();
  for (const value of secretValues) {
    if (value === '') continue;
    textual.add(value);
    if (value.length < minVariantLength) continue;
    textual.add(encodeURIComponent(value));
    textual.add(JSON.stringify(value).slice(1, -1));
    for (const form of base64Forms(value)) encoded.add(form);
  }
  if (textual.size === 0) return undefined;
  const caseless = alternation(textual, 'gi');
  const exact = encoded.size > 0 ? alternation(encoded, 'g') : undefined;
  const text = (input: string): string => {
    let out = input.replace(caseless, '[secret]');
    if (exact) out = out.replace(exact, '[secret]');
    return out;
  };
  const json = <T>(value: T): T => redactValue(value, text);
  return { text, json };
}

const bySecrets = new WeakMap<object, Redactor | undefined>();

/**
 * `createRedactor` for a workspace's secrets object, built once per object: the worker's secrets
 * loader hands out the same frozen object for 5 s, so chunks in that window share one redactor
 * (compiling one costs 40–200 µs, a chunk's worth of redaction).
 */
export function redactorFor(secrets: Readonly<Record<string, string>>): Redactor | undefined {
  if (bySecrets.has(secrets)) return bySecrets.get(secrets);
  const redactor = createRedactor(Object.values(secrets));
  bySecrets.set(secrets, redactor);
  return redactor;
}

function redactValue<T>(value: T, text: (input: string) => string): T {
  if (typeof value === 'string') return text(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const inner = redactValue(value[i], text);
      if (inner !== value[i]) {
        out ??= value.slice();
        out[i] = inner;
      }
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    const newKey = text(key);
    const newInner = redactValue(inner, text);
    if (newKey !== key || newInner !== inner) {
      out ??= { ...(value as Record<string, unknown>) };
      if (newKey !== key) delete out[key];
      out[newKey] = newInner;
    }
  }
  return (out ?? value) as T;
}

/**
 * The base64 and base64url text that any encoding containing the secret must contain: for each
 * alignment (0, 1 or 2 bytes before it), the characters that depend on the secret's bytes alone.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Characters 0..offset-1+(offset>0) mix the padding bytes in; a trailing partial group mixes
    // in whatever follows the secret.
    const lead = offset === 0 ? 0 : offset + 1;
    const standard = shifted.toString('base64').replace(/=+$/, '');
    const tail = shifted.length % 3 === 0 ? standard.length : standard.length - 1;
    const core = standard.slice(lead, tail);
    if (core.length < 4) continue;
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** One regex matching any of `forms`, longest first so a secret containing another goes whole. */
function alternation(forms: Set<string>, flags: string): RegExp {
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), flags);
}
