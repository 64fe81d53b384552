import { GlazeError } from '@glaze/client';

/**
 * Keys of requests whose outcome is unknown, by what was asked (a start of runs, an append of rows).
 * One that failed with an outage (5xx), a dropped connection or a timeout may have been done anyway:
 * asking for the same thing again sends the same `Idempotency-Key`, and the server answers with what
 * the first did instead of doing it twice (a second set of runs paying a provider twice, a second
 * copy of the rows). Any answer the server meant — runs, ids, or a 4xx such as a bad filter — settles
 * the request, and the next one is a new request.
 */
const unsettled = new Map<string, string>();

/**
 * Calls `send` with the `Idempotency-Key` for `action` (e.g. `column:4:7:"all"`): the unsettled one
 * of an earlier request for the same action, else a new one.
 * @example await withRetryKey(`cell:${tableId}:${rowId}:${columnId}`, (key) => runCell(key))
 */
export async function withRetryKey<T>(action: string, send: (key: string) => Promise<T>): Promise<T> {
  const key = unsettled.get(action) ?? newKey();
  unsettled.set(action, key);
  try {
    const answer = await send(key);
    unsettled.delete(action);
    return answer;
  } catch (error) {
    if (error instanceof GlazeError && error.status < 500) unsettled.delete(action);
    throw error;
  }
}

/** The header that carries the key, as the client's `params` take it. */
export const keyHeader = (key: string) => ({ header: { 'idempotency-key': key } });

/** 128 random bits as hex; `crypto.randomUUID` exists only on https and localhost pages. */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
