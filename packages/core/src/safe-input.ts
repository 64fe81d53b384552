import { formatPath } from './zod-issues';

/** Deepest nesting a request value may have (an object in an array in a row is 3). */
export const maxInputDepth = 64;

/** Longest piece of client input an error message repeats. */
export const maxEchoChars = 100;

export interface UnsafeInput {
  /** Dotted path of the offending value (or key), e.g. `rows[0].name`; '' for the value itself. */
  path: string;
  message: string;
}

/**
 * Finds the first string (value or key) Postgres cannot store or UTF-8 cannot carry — U+0000, a
 * lone surrogate such as `"\ud800"` — or the first container nested deeper than `maxInputDepth`.
 * Iterative, so a 100,000-level document costs a loop, not the stack that zod or JSON.stringify
 * would overflow on it.
 * @example findUnsafeInput({ rows: [{ name: 'a\u0000' }] }) // { path: 'rows[0].name', … }
 */
export function findUnsafeInput(value: unknown, maxDepth = maxInputDepth): UnsafeInput | null {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof current === 'string') {
      const problem = badText(current);
      if (problem) return { path: formatPath(path), message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) {
      return { path: formatPath(path), message: `nested deeper than ${maxDepth} levels` };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
      continue;
    }
    for (const [key, inner] of Object.entries(current)) {
      const problem = badText(key);
      if (problem) return { path: formatPath([...path, key]), message: `this key ${problem}` };
      stack.push({ value: inner, path: [...path, key] });
    }
  }
  return null;
}

/** Why a string cannot be stored (NUL, lone surrogate), or null. */
export function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'holds a NUL character (U+0000), which cannot be stored';
  // String#isWellFormed is ES2024 (Node 20 has it; the project's lib is ES2023).
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed())
    return 'holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text';
  return null;
}

/**
 * Client input as an error message repeats it: quoted, cut to `maxEchoChars` with an ellipsis, so
 * a 4 MB provider name never comes back as a 4 MB error.
 * @example `unknown provider ${quoteInput(name)}`
 */
export function quoteInput(text: string, max = maxEchoChars): string {
  return JSON.stringify(truncateInput(text, max));
}

/** Cuts text to `max` characters (never inside a surrogate pair) and marks the cut with `…`. */
export function truncateInput(text: string, max = maxEchoChars): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
