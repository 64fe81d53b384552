/** A wrong command line: main prints the message on one line (no stack) and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A positive integer option, or a UsageError naming the option. */
export function positiveInt(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${option}: must be a positive integer, got "${value}"`);
  return n;
}
