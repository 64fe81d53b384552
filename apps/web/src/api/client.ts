import { createGlazeClient } from '@glaze/client';

/**
 * The app's one client of the API (`@glaze/client`, typed from the OpenAPI document): same origin,
 * authenticated by the session cookie, every error answer thrown as a GlazeError.
 */
export const glaze = createGlazeClient({ baseUrl: '', credentials: 'include' });

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever a request comes back 401, so the app can show the sign-in form again. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** 401 to the listeners; the CSV upload (XHR) and the stream (use-table-feed.ts) tell them themselves. */
export function answered(status: number): void {
  if (status === 401) for (const listener of unauthorizedListeners) listener();
}

glaze.raw.use({
  onResponse({ response }) {
    answered(response.status);
  },
});

/** A table's id as the API's paths take it. */
export const tablePath = (id: number) => ({ path: { id: String(id) } });

/** The message a person sees for any thrown value (a GlazeError's names the field: `name: …`). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
