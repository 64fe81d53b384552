import type { z } from 'zod';
import { AppError } from './errors';
import { truncateInput } from './safe-input';

/** Dotted path as people write it: `columns[2].config.url`. */
export function formatPath(path: readonly PropertyKey[], prefix?: string): string {
  let out = prefix ?? '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    // A key is client input: a 3,000-character one is named by its start.
    else out += out ? `.${truncateInput(String(part))}` : truncateInput(String(part));
  }
  return out;
}

/** The first zod issue as an AppError naming the field, e.g. `config.latencyMs: expected number, received string`. */
export function zodToAppError(error: z.ZodError, prefix?: string): AppError {
  const issue = error.issues[0];
  if (!issue) return new AppError('validation_failed', 'invalid input', prefix);
  const path = formatPath(issue.path, prefix) || undefined;
  return new AppError('validation_failed', issue.message, path);
}

/** Parses with a schema and throws an AppError naming the field on failure. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToAppError(parsed.error, prefix);
  return parsed.data;
}
