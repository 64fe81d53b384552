/**
 * Templates read other columns of the same row: `Hello {{First Name}}`.
 * `{{secret.NAME}}` reads a workspace secret; the engine supplies those separately.
 */
const placeholder = /\{\{\s*([^{}]+?)\s*\}\}/g;

export type RowValues = Readonly<Record<string, unknown>>;

export interface TemplateRef {
  kind: 'column' | 'secret';
  name: string;
}

/** Every `{{…}}` a template mentions, in order, without duplicates. */
export function templateRefs(template: string): TemplateRef[] {
  const seen = new Set<string>();
  const refs: TemplateRef[] = [];
  for (const match of template.matchAll(placeholder)) {
    const raw = match[1] ?? '';
    const ref: TemplateRef = raw.startsWith('secret.')
      ? { kind: 'secret', name: raw.slice('secret.'.length) }
      : { kind: 'column', name: raw };
    const key = `${ref.kind}:${ref.name}`;
    if (!seen.has(key)) {
      seen.add(key);
      refs.push(ref);
    }
  }
  return refs;
}

/** Column names a set of templates reads. */
export function templateColumns(templates: readonly string[]): string[] {
  const names = new Set<string>();
  for (const t of templates)
    for (const ref of templateRefs(t)) if (ref.kind === 'column') names.add(ref.name);
  return [...names];
}

/**
 * Rewrites the column names of a template's placeholders: `rename(name)` gives the new name, or
 * undefined to keep it. Secrets and spacing inside the braces are left as written.
 * @example renameTemplateColumns('Hi {{ Name }}', (n) => (n === 'Name' ? 'Full name' : undefined)) // 'Hi {{ Full name }}'
 */
export function renameTemplateColumns(
  template: string,
  rename: (name: string) => string | undefined,
): string {
  return template.replace(placeholder, (match, raw: string) => {
    if (raw.startsWith('secret.')) return match;
    const renamed = rename(raw);
    return renamed === undefined ? match : match.replace(raw, () => renamed);
  });
}

export function valueToText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * Fills a template from a row. Objects are inserted as JSON; missing values as ''.
 * Column lookups also accept a dotted path into an object value: `{{Company.domain}}`.
 */
export function renderTemplate(
  template: string,
  row: RowValues,
  secrets: Readonly<Record<string, string>> = {},
): string {
  const parts = partsOf(template);
  let text = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const raw = parts[i] as string;
    text += raw.startsWith('secret.')
      ? (secrets[raw.slice('secret.'.length)] ?? '')
      : valueToText(lookup(row, raw));
    text += parts[i + 1] as string;
  }
  return text;
}

/** Templates split once: a worker renders one template per cell (a regex replace was 25 MB of a 100,000-cell run's garbage). */
const splitTemplates = new Map<string, readonly string[]>();

/** Literal text at even positions, placeholder names (trimmed) at odd ones: `split` keeps the capture. */
function partsOf(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(placeholder);
    if (splitTemplates.size >= 1000) splitTemplates.clear();
    splitTemplates.set(template, parts);
  }
  return parts;
}

/** A row value by column name, or by `Column.path.to.field` into a JSON value. */
export function lookup(row: RowValues, name: string): unknown {
  if (Object.hasOwn(row, name)) return row[name];
  let cut = name.lastIndexOf('.');
  while (cut > 0) {
    const head = name.slice(0, cut);
    if (Object.hasOwn(row, head)) return readPath(row[head], name.slice(cut + 1));
    cut = name.lastIndexOf('.', cut - 1);
  }
  return undefined;
}

/** Reads `a.b[0].c` out of a JSON value; undefined when any step is missing. */
export function readPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
