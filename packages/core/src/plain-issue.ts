import type { z } from 'zod';
import { truncateInput } from './safe-input';

/** Words people write for the short keys of configs and bodies. */
const words: Record<string, string> = {
  url: 'URL',
  id: 'ID',
  ids: 'IDs',
  http: 'HTTP',
  llm: 'LLM',
  json: 'JSON',
  api: 'API',
  ttl: 'TTL',
  ms: 'ms',
};

/** `latencyMs` → `Latency ms`, `url` → `URL`, `maxTokens` → `Max tokens`. */
export function humanizeKey(key: string): string {
  const parts = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((part) => words[part.toLowerCase()] ?? part.toLowerCase());
  const text = parts.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const singular = (key: string) => (key.endsWith('s') && key.length > 1 ? key.slice(0, -1) : key);

/**
 * How a person names the field at `path`: its last key in words, after the item it sits in when
 * it is inside a list — `name` → `Name`, `config.steps[1].config.url` → `Step 2 URL`,
 * `config.steps` → `Steps`, `rows[2]` → `Row 3`.
 */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const last = path.length - 1;
  const key = path[last];
  if (key === undefined) return 'The request';
  if (typeof key === 'number') {
    const list = path[last - 1];
    return typeof list === 'string' ? `${humanizeKey(singular(list))} ${key + 1}` : `Item ${key + 1}`;
  }
  const own = humanizeKey(truncateInput(String(key), 60));
  for (let i = last - 1; i > 0; i--) {
    const index = path[i];
    const list = path[i - 1];
    if (typeof index === 'number' && typeof list === 'string') {
      // `URL` stays in capitals; `Latency ms` reads `latency ms` after `Step 2`.
      const tail = /^[A-Z]{2}/.test(own) ? own : own.charAt(0).toLowerCase() + own.slice(1);
      return `${humanizeKey(singular(list))} ${index + 1} ${tail}`;
    }
  }
  return own;
}

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  date: 'a date',
  bigint: 'a whole number',
};

/** The value at `path` inside `input`, or undefined where the path leads nowhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Messages our own schemas set (`must be …`, `give at least one of …`) read after the label. */
const ownMessage = /^(must|is|are|should|give|needs?|has|cannot)\b/;

/**
 * One zod issue in plain words, starting with the field's label: `Name is required`, `Latency ms
 * must be a number`, `URL must be a URL starting with http:// or https://`, `Steps must have at
 * least 1 step`. `input` is what was parsed: a field missing from it is "required" (zod only says
 * "expected string, received undefined"). The server's 400s carry it with the issue's path; the
 * web form shows it under the field.
 * @example plainIssue(issue, body) // 'Name is required'
 */
export function plainIssue(issue: z.core.$ZodIssue, input?: unknown): string {
  const label = fieldLabel(issue.path);
  const missing =
    input !== undefined
      ? valueAt(input, issue.path) === undefined
      : / received undefined$/.test(issue.message);
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return `${label} is required`;
      return `${label} must be ${typeWords[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : (issue as { maximum: number | bigint }).maximum);
      const limit =
        issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
      switch (issue.origin) {
        case 'string':
          if (small && bound === 1) return `${label} is required`;
          return `${label} must be ${limit} ${bound} character${bound === 1 ? '' : 's'}`;
        case 'array':
        case 'set': {
          const key = issue.path[issue.path.length - 1];
          const item = typeof key === 'string' ? singular(humanizeKey(key).toLowerCase()) : 'item';
          return `${label} must have ${limit} ${bound} ${bound === 1 ? item : `${item}s`}`;
        }
        default:
          return `${label} must be ${limit} ${bound}`;
      }
    }
    case 'invalid_format':
      if (issue.format === 'url') return `${label} must be a URL starting with http:// or https://`;
      if (issue.format === 'email') return `${label} must be an email address`;
      if (ownMessage.test(issue.message)) return `${label} ${issue.message}`;
      return `${label} is not in the expected format (${issue.format})`;
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `${label} has ${issue.keys.length === 1 ? 'an unknown field' : 'unknown fields'}: ${issue.keys
        .map((key) => `"${truncateInput(key, 60)}"`)
        .join(', ')}`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      if (missing) return `${label} is required`;
      return `${label} is not valid: ${issue.message}`;
    default:
      if (ownMessage.test(issue.message)) return `${label} ${issue.message}`;
      return `${label}: ${issue.message}`;
  }
}
