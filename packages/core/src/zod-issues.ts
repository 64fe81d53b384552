import type { z } from 'zod';
import { AppError } from './errors';
import { plainIssue } from './plain-issue';
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

/**
 * The first zod issue as an AppError naming the field, in plain words:
 * `config.latencyMs: Latency ms must be a number`. `input` (what was parsed) tells a missing field
 * ("is required") from one of the wrong type.
 */
export function zodToAppError(error: z.ZodError, prefix?: string, input?: unknown): AppError {
  const issue = error.issues[0];
  if (!issue) return new AppError('validation_failed', 'invalid input', prefix);
  const path = formatPath(issue.path, prefix) || undefined;
  return new AppError('validation_failed', plainIssue(issue, input), path);
}

/** Parses with a schema and throws an AppError naming the field on failure. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToAppError(parsed.error, prefix, value ?? {});
  return parsed.data;
}
