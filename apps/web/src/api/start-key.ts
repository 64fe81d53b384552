import { GlazeError } from '@glaze/client';

/**
 * Keys of starts whose outcome is unknown, by what was clicked. A start that failed with an outage
 * (5xx), a dropped connection or a timeout may have started its runs anyway: clicking the same thing
 * again sends the same `Idempotency-Key`, and the server answers with those runs instead of starting
 * a second set (and paying a provider twice). Any answer the server meant — runs, or a 4xx such as a
 * bad filter — settles the click, and the next one is a new request.
 */
const unsettled = new Map<string, string>();

/**
 * Calls `start` with the `Idempotency-Key` for `action` (e.g. `column:4:7:"all"`): the unsettled one
 * of an earlier click, else a new one.
 * @example await withStartKey(`cell:${tableId}:${rowId}:${columnId}`, (key) => runCell(key))
 */
export async function withStartKey<T>(action: string, start: (key: string) => Promise<T>): Promise<T> {
  const key = unsettled.get(action) ?? newKey();
  unsettled.set(action, key);
  try {
    const answer = await start(key);
    unsettled.delete(action);
    return answer;
  } catch (error) {
    if (error instanceof GlazeError && error.status < 500) unsettled.delete(action);
    throw error;
  }
}

/** 128 random bits as hex; `crypto.randomUUID` exists only on https and localhost pages. */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
