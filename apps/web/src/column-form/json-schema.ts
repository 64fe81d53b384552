/**
 * A JSON Schema node as zod 4's `z.toJSONSchema` writes it (input side): what a provider's
 * `configSchema` in GET /providers holds. Only the keywords the form reads.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface Field {
  name: string;
  kind: FieldKind;
  schema: JsonSchema;
  required: boolean;
}

/** `anyOf: [X, {type:'null'}]` (an optional or nullable field) reads as X. */
export function unwrap(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const real = options.filter((option) => option.type !== 'null');
  return real.length === 1 && real[0] ? { ...real[0], ...pick(schema) } : schema;
}

function pick(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (schema.default !== undefined) out.default = schema.default;
  if (schema.description !== undefined) out.description = schema.description;
  return out;
}

export function fieldKind(raw: JsonSchema): FieldKind {
  const schema = unwrap(raw);
  if (schema.enum) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return type;
    default:
      return 'json';
  }
}

/** The form's fields, in the schema's order. */
export function fieldsOf(schema: JsonSchema): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, node]) => ({
    name,
    kind: fieldKind(node),
    schema: unwrap(node),
    required: required.has(name),
  }));
}

/** What the form shows for a field: the column's value, else the schema default, as text. */
export function initialText(field: Field, config: Record<string, unknown>): string {
  const value = config[field.name] ?? field.schema.default;
  if (value === undefined || value === null) return '';
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * The config to send, from the form's texts. Blank optional fields are left out so the server
 * applies its default. Text that does not parse is sent as it is: the server's answer names the
 * field (`config.latencyMs: expected number`) and the form shows it there.
 */
export function buildConfig(
  fields: readonly Field[],
  texts: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of fields) {
    const text = texts[field.name] ?? '';
    if (text.trim() === '' && field.kind !== 'string') continue;
    if (text === '' && !field.required) continue;
    config[field.name] = parseText(field.kind, text);
  }
  return config;
}

function parseText(kind: FieldKind, text: string): unknown {
  switch (kind) {
    case 'number':
    case 'integer': {
      const n = Number(text.trim());
      return Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return text === 'true';
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'string':
    case 'enum':
      return text;
  }
}

/** Turns `config.latencyMs` or `config.steps[0].url` into the top-level field name `latencyMs`. */
export function fieldOfPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const match = /^config\.([^.[]+)/.exec(path);
  return match?.[1];
}
