import { failureForError } from './classify-failure';
import { type GuardedFetchOptions, guardedFetch } from './guarded-fetch';
import { readText } from './read-response';

export interface SendOptions {
  /** Names the call in messages, e.g. `GET api.example.com`. */
  what: string;
  timeoutMs: number;
  /** The engine's signal: cancellation and shutdown. */
  signal: AbortSignal;
  net: GuardedFetchOptions;
}

export type Sent =
  | { kind: 'response'; response: Response; text: string }
  | { kind: 'retryable' | 'permanent'; message: string };

/**
 * One guarded HTTP exchange with a deadline that covers the body too (a server that sends
 * headers and then stalls is a timeout, not a hang). Thrown errors become results, except the
 * engine's own abort, which is re-thrown so the engine sees its cancellation rather than a
 * provider failure.
 */
export async function sendRequest(url: string, init: RequestInit, options: SendOptions): Promise<Sent> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, deadline]);
  try {
    const response = await guardedFetch(url, { ...init, signal }, options.net);
    return { kind: 'response', response, text: await readText(response) };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    return failureForError(error, options.what, deadline.aborted, options.timeoutMs);
  }
}
